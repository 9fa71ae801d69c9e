"""Personal information (个人信息保护法): masked contacts, the reveal log, data export and account deletion."""

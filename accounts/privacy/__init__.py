"""Personal information (个人信息保护法): masked contacts, the reveal log, data export and account deletion."""

# The privacy notice shown at sign-up. Its text is templates/accounts/privacy_notice.html; when that text
# changes in substance, raise the version so new consents name what was actually accepted.
PRIVACY_NOTICE_VERSION = "2026-12-01"

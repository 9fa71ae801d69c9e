"""The seed document's 2023 targets (滨州市2023年科技工作要点). Data, not code: the migration reads it."""

TARGETS_2023 = {
    "agreements_signed": 500,
    "high_end_events": 2,
    "universities_engaged": 10,
    "challenge_subsidies": 10,
    "service_activities": 150,
    "enterprise_commissioners": 100,
    "reserve_projects": 100,
    "key_results": 5,
}

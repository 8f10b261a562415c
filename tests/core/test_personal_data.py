import datetime

from core.personal_data import (
    PersonalData,
    personal_data_sources,
    register_personal_data,
    retention_cutoff,
    unregister_personal_data,
)


def test_sources_come_in_page_order_and_register_once_by_key():
    def source(key, order):
        return PersonalData(
            key=key,
            label=key,
            describe=lambda email: "",
            export=lambda email: [],
            erase=lambda email: {},
            notice=lambda: [],
            order=order,
        )

    register_personal_data(source("test-late", 999))
    register_personal_data(source("test-early", -1))
    register_personal_data(source("test-early", -2))
    try:
        keys = [s.key for s in personal_data_sources()]
        assert keys[0] == "test-early" and keys[-1] == "test-late"
        assert keys.count("test-early") == 1
        assert "comments" in keys and "subscriptions" in keys
    finally:
        unregister_personal_data("test-late")
        unregister_personal_data("test-early")
    assert "test-early" not in [s.key for s in personal_data_sources()]


def test_the_retention_cutoff_follows_the_setting(settings):
    now = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    settings.PRIVACY_RETENTION_DAYS = 30
    assert retention_cutoff(now) == datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC)

//! The test server of the store's PostgreSQL tests.

/// `UPKEEP_TEST_DATABASE_URL`; `None` (the test is skipped, and says so)
/// without it, unless `UPKEEP_REQUIRE_POSTGRES` says it must run.
pub fn database_url() -> Option<String> {
    let Ok(url) = std::env::var("UPKEEP_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("UPKEEP_REQUIRE_POSTGRES").is_err(),
            "UPKEEP_REQUIRE_POSTGRES is set but UPKEEP_TEST_DATABASE_URL is not"
        );
        eprintln!("skipped: no UPKEEP_TEST_DATABASE_URL");
        return None;
    };
    Some(url)
}

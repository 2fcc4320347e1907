//! The identity of one run, stamped on everything it writes.

/// The identity of one run: every table, the workbook and the `sources` rows
/// it writes carry it, so outputs of two runs mixed in one folder can be told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStamp {
    /// Unique per run: its start time (UTC, microseconds) and process id,
    /// `20261130T103404.123456Z-4242`.
    pub id: String,
    /// When the run started, RFC 3339 in UTC: `2026-11-30T10:34:04.123Z`.
    pub started: String,
}

impl RunStamp {
    /// A stamp for a run starting now in this process.
    pub fn now() -> RunStamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        // chrono's clock feature is off; the system time gives the same instant.
        let t = chrono::DateTime::from_timestamp(i64::try_from(since.as_secs()).unwrap_or(0), since.subsec_nanos())
            .unwrap_or(chrono::DateTime::UNIX_EPOCH);
        RunStamp {
            id: format!("{}-{}", t.format("%Y%m%dT%H%M%S%.6fZ"), std::process::id()),
            started: t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        }
    }
}

//! A case's memory, as the kernel counts it: the resident set's high-water
//! mark (`VmHWM`), reset before each case (`5` written to
//! `/proc/self/clear_refs`), so that what a case adds is its peak less what
//! was resident when it began. Linux only, like the machines upkeep's CI
//! runs on; elsewhere nothing is measured.

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn status(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Starts measuring a case: the high-water mark is reset to what is
/// resident, which is returned.
pub fn start_case() -> usize {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status("VmRSS")
}

/// The most bytes resident since [`start_case`].
pub fn peak() -> usize {
    status("VmHWM")
}

//! Fuzzing every parser of untrusted input, on stable Rust with proptest:
//! each input is a real file (from `../shared/data`, or a seed in
//! `tests/fuzz-seeds/` where the data holds none of that kind) changed by a
//! few mutations — bytes flipped, ranges cut or repeated, tokens that break
//! parsers inserted — and shrunk to the smallest that still fails.
//!
//! A case fails when the parser panics, takes longer than [`CASE_TIME`] or
//! grows the resident memory by more than [`CASE_MEMORY`] (see [`memory`]);
//! a watchdog ends a case stuck for [`STUCK`]. A
//! failing input is written to `tests/fuzz-regressions/TARGET-HASH.bin`,
//! and every file there is replayed first on each run: each case found is a
//! regression test from then on.
//!
//! `UPKEEP_FUZZ_CASES` cases per target (default 24, `.ci/run` sets more;
//! locally, `UPKEEP_FUZZ_CASES=20000 cargo test -p upkeep-app --test fuzz
//! --release` for a long run), from `UPKEEP_FUZZ_SEED` (printed, so that a
//! run can be repeated) or the clock.

mod memory;
mod mutate;
mod targets;

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use targets::Target;

/// The longest a case may take (a debug build; a release build is ten
/// times quicker).
const CASE_TIME: Duration = Duration::from_secs(10);
/// The most a case may add to the resident memory.
const CASE_MEMORY: usize = 512 << 20;
/// A case running this long is stuck: the watchdog saves it and stops.
const STUCK: Duration = Duration::from_secs(120);

/// The case running now: its target, input and start, for the watchdog.
static RUNNING: Mutex<Option<(&'static str, Vec<u8>, Instant)>> = Mutex::new(None);

fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

/// Saves `input` that made `target` fail, by its content's hash.
fn save(target: &str, input: &[u8]) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    let dir = regressions_dir();
    std::fs::create_dir_all(&dir).expect("creates the regressions folder");
    let path = dir.join(format!("{target}-{:016x}.bin", hasher.finish()));
    std::fs::write(&path, input).expect("saves the case");
    path
}

/// Starts the watchdog: a case stuck for [`STUCK`] is saved and the
/// process stopped, naming it.
fn watchdog() {
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((target, input, started)) = running.as_ref()
                && started.elapsed() > STUCK
            {
                let path = save(target, input);
                eprintln!(
                    "{target}: a case ran for {STUCK:?}; saved as {}",
                    path.display()
                );
                std::process::abort();
            }
        }
    });
}

/// Runs `target` on `input`, failing when it panics, is slow or allocates
/// too much.
fn run_case(target: &Target, input: &[u8]) -> Result<(), String> {
    *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) =
        Some((target.name, input.to_vec(), Instant::now()));
    let baseline = memory::start_case();
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| (target.parse)(input));
    let (took, grew) = (started.elapsed(), memory::peak().saturating_sub(baseline));
    *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = None;
    if let Err(panic) = outcome {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        return Err(format!("panicked: {what}"));
    }
    if took > CASE_TIME {
        return Err(format!("took {took:?}, more than {CASE_TIME:?}"));
    }
    if grew > CASE_MEMORY {
        return Err(format!(
            "grew the resident memory by {grew} bytes, more than {CASE_MEMORY}"
        ));
    }
    Ok(())
}

/// Every saved case of `targets`, replayed.
fn replay(targets: &[Target]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(regressions_dir()) else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(target) = targets
            .iter()
            .find(|t| name.starts_with(&format!("{}-", t.name)))
        else {
            failures.push(format!("{name}: no target of that name"));
            continue;
        };
        let input = std::fs::read(&path).expect("reads a saved case");
        if let Err(why) = run_case(target, &input) {
            failures.push(format!("{name}: {why}"));
        }
    }
    failures
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Fuzzes `target` for `cases` cases from `seed`: the failure, shrunk and
/// saved, if one is found.
fn fuzz(target: &Target, cases: u32, seed: u64) -> Option<String> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(target.name.len() as u64).to_le_bytes());
    bytes[16..16 + target.name.len().min(16)]
        .copy_from_slice(&target.name.as_bytes()[..target.name.len().min(16)]);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = mutate::strategy(target.seeds.len());
    let result = runner.run(&strategy, |(seed, edits)| {
        let input = mutate::apply(&target.seeds[seed], &edits);
        run_case(target, &input).map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => None,
        Err(TestError::Fail(why, (seed, edits))) => {
            let input = mutate::apply(&target.seeds[seed], &edits);
            let path = save(target.name, &input);
            Some(format!(
                "{}: {why}; saved as {}",
                target.name,
                path.display()
            ))
        }
        Err(TestError::Abort(why)) => Some(format!("{}: aborted: {why}", target.name)),
    }
}

/// Panics inside a case are the fuzzer's findings, reported once shrunk:
/// not printed as they happen (thousands while shrinking).
fn quiet_cases() {
    let shown = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_case = RUNNING.lock().map(|r| r.is_some()).unwrap_or(false);
        if !in_case {
            shown(info);
        }
    }));
}

#[test]
fn every_parser_survives_mutated_real_inputs() {
    upkeep_testdata::needs_data!();
    watchdog();
    quiet_cases();
    let targets = targets::all(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut failures = replay(&targets);
    let cases = env_number("UPKEEP_FUZZ_CASES").unwrap_or(24) as u32;
    let seed = env_number("UPKEEP_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    eprintln!(
        "fuzzing {} targets, {cases} cases each, UPKEEP_FUZZ_SEED={seed}",
        targets.len()
    );
    for target in &targets {
        assert!(!target.seeds.is_empty(), "{}: no seed", target.name);
        let started = Instant::now();
        failures.extend(fuzz(target, cases, seed));
        eprintln!(
            "  {:<14} {:>3} seeds  {:.1} s",
            target.name,
            target.seeds.len(),
            started.elapsed().as_secs_f64()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

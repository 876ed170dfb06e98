//! `upkeep worker`: runs the fleet's jobs from the shared store.

use crate::settings::{StoreArgs, parse_duration};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use upkeep_app::fleet::worker::{self, Stop, WorkerOptions};

/// Run queued jobs (`upkeep enqueue`) until stopped, on this machine.
///
/// Start one on each machine of the fleet, all with the same PostgreSQL store
/// (`--db postgres://…`). Each job is claimed under a lease its heartbeat
/// renews; a worker that dies loses its jobs to the others when the lease
/// expires. A failed job is tried again later (the wait doubling each time),
/// up to its maximum attempts. SIGTERM or Ctrl-C: finish the jobs under way
/// and stop; a second one: give them back at once and stop. One line per job
/// on stderr.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Jobs at once (one connection each). With 2 or more, one prefers large
    /// repositories and the others small ones, so neither waits for the other.
    #[arg(long, default_value_t = 1, value_name = "N")]
    jobs: usize,
    /// How long a claim holds without a heartbeat (renewed every third of it).
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_duration)]
    lease: Duration,
    /// The wait before a failed job's next attempt, doubled per attempt.
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_duration)]
    backoff: Duration,
    /// How often an idle worker looks for work.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = parse_duration)]
    poll: Duration,
    /// Stop when nothing is queued for now and nothing runs (for batch runs and tests).
    #[arg(long)]
    until_idle: bool,
    /// Commits per transaction when mining (a killed worker loses at most one batch).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    batch_size: usize,
    /// The worker's name in `upkeep queue` [default: HOST:PID].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
}

/// Runs until stopped, then says what it did.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let location = args.store.location()?;
    // Connect once now: a wrong URL or an old schema is said at once.
    drop(args.store.open()?);
    let options = WorkerOptions {
        name: args.name.unwrap_or_else(default_name),
        jobs: args.jobs.max(1),
        lease: args.lease.max(Duration::from_secs(1)),
        poll: args.poll,
        backoff: args.backoff,
        until_idle: args.until_idle,
        cache: upkeep_app::paths::clone_cache()?,
        batch_size: args.batch_size.max(1),
    };
    let stop = Arc::new(Stop::default());
    watch_signals(&stop)?;
    eprintln!(
        "worker {} on {location}: {} job(s) at once, leases of {} s",
        options.name,
        options.jobs,
        options.lease.as_secs()
    );
    let log = |line: &str| eprintln!("{}", upkeep_report::terminal(line));
    let tally = worker::run(&location, &options, &stop, &log)?;
    eprintln!(
        "worker {} stopped: {} done, {} failed attempts, {} given back",
        options.name, tally.done, tally.failed, tally.later
    );
    Ok(ExitCode::SUCCESS)
}

fn default_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "worker".into());
    format!("{host}:{}", std::process::id())
}

/// SIGTERM and SIGINT: the first asks to finish, the second to give back now.
fn watch_signals(stop: &Arc<Stop>) -> anyhow::Result<()> {
    let raised = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&raised))?;
    }
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(50));
            if !raised.swap(false, Ordering::SeqCst) {
                continue;
            }
            if stop.finish.swap(true, Ordering::SeqCst) {
                eprintln!("stopping now: giving the jobs under way back");
                stop.now.store(true, Ordering::SeqCst);
            } else {
                eprintln!("stopping: finishing the jobs under way (again to stop at once)");
            }
        }
    });
    Ok(())
}

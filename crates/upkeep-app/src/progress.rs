//! Progress bars on stderr (drawn only when stderr is a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A bar counting mined commits; its length grows while the history walk finds more.
pub fn commits(label: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:.bold} [{bar:30}] {human_pos}/{human_len} commits {msg} · {per_sec} · eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_owned());
    bar
}

/// A bar counting `total` items of some work (`what`: "repositories fetched").
pub fn counter(total: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg} · eta {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar
}

/// A spinner for work of unknown length (cloning, walking).
pub fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Moves a [`commits`] bar to where mining is.
pub fn update(bar: &ProgressBar, progress: upkeep_git::mine::Progress) {
    bar.set_length(progress.found as u64);
    bar.set_position(progress.mined as u64);
    if !progress.walk_done {
        bar.set_message("(still walking)");
    }
}

//! Where a list's messages are: local mbox files, or an archive on the web
//! that keeps one file per month.
//!
//! - a file or a folder of them (`.mbox`, `.txt`, `.gz`, anything);
//! - a pipermail index (`…/pipermail/dev/`: links `2016-April.txt.gz`) or a
//!   mod_mbox index (`…/mod_mbox/kafka-dev/`: links `201604.mbox`);
//! - a HyperKitty list (`…/hyperkitty/list/dev@example.org/`): its monthly
//!   exports, `export/NAME-YYYY-MM.mbox.gz?start=…&end=…`;
//! - `apache:LIST@DOMAIN`: Apache's list server (lists.apache.org), its
//!   monthly `api/mbox.lua?list=…&date=YYYY-MM`.

use std::path::PathBuf;

/// Apache's list server, unless `UPKEEP_APACHE_LISTS_URL` says otherwise (tests, mirrors).
pub const APACHE_LISTS: &str = "https://lists.apache.org";

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

impl Month {
    /// `YYYY-MM`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month of a time (seconds since the epoch, UTC).
    pub fn of(seconds: i64) -> Option<Month> {
        let date = jiff::Timestamp::from_second(seconds)
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        Some(Month {
            year: date.year(),
            month: date.month(),
        })
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// Where a list's messages come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// An mbox file or a folder of them.
    Files(PathBuf),
    /// A pipermail or mod_mbox archive index page.
    Index(String),
    /// A HyperKitty list page, and the list's address.
    HyperKitty {
        /// The list's page, ending in `/`.
        url: String,
        /// The list's address (`dev@example.org`).
        name: String,
    },
    /// A list on Apache's list server.
    Apache {
        /// The list's address (`dev@kafka.apache.org`).
        list: String,
        /// The server.
        base: String,
    },
}

impl Source {
    /// The source an argument of `--list` names.
    pub fn parse(arg: &str) -> Result<Source, String> {
        if let Some(list) = arg.strip_prefix("apache:") {
            if !list.contains('@') {
                return Err(format!(
                    "{arg}: an Apache list is named by its address, as in apache:dev@kafka.apache.org"
                ));
            }
            let base = std::env::var("UPKEEP_APACHE_LISTS_URL")
                .unwrap_or_else(|_| APACHE_LISTS.to_owned());
            return Ok(Source::Apache {
                list: list.to_owned(),
                base: base.trim_end_matches('/').to_owned(),
            });
        }
        if arg.starts_with("http://") || arg.starts_with("https://") {
            let url = if arg.ends_with('/') {
                arg.to_owned()
            } else {
                format!("{arg}/")
            };
            if let Some(at) = url.find("/hyperkitty/list/") {
                let name = url[at + "/hyperkitty/list/".len()..]
                    .trim_end_matches('/')
                    .to_owned();
                if name.is_empty() || name.contains('/') {
                    return Err(format!(
                        "{arg}: a HyperKitty list is its page, as in https://host/hyperkitty/list/dev@example.org/"
                    ));
                }
                return Ok(Source::HyperKitty { url, name });
            }
            return Ok(Source::Index(url));
        }
        let path = PathBuf::from(arg);
        if !path.exists() {
            return Err(format!(
                "{arg}: no such file or folder (a list is an mbox file or folder, an archive URL, or apache:LIST@DOMAIN)"
            ));
        }
        Ok(Source::Files(path))
    }

    /// How the store names it: the canonical path, the URL, or `apache:LIST`.
    pub fn key(&self) -> String {
        match self {
            Source::Files(path) => std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
            Source::Index(url) | Source::HyperKitty { url, .. } => url.clone(),
            Source::Apache { list, .. } => format!("apache:{list}"),
        }
    }

    /// The URL of one month's archive for sources that are read month by month.
    pub fn month_url(&self, month: Month) -> Option<String> {
        let end = month.next();
        match self {
            Source::HyperKitty { url, name } => Some(format!(
                "{url}export/{name}-{}.mbox.gz?start={}-01&end={}-01",
                month.label(),
                month.label(),
                end.label()
            )),
            Source::Apache { list, base } => Some(format!(
                "{base}/api/mbox.lua?list={list}&date={}",
                month.label()
            )),
            Source::Files(_) | Source::Index(_) => None,
        }
    }
}

/// English month names as pipermail writes them.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The monthly archives an index page links to: `(month, link)`, oldest
/// first, each month once. Pipermail links `2016-April.txt` or
/// `2015-November.txt.gz`; mod_mbox links `201604.mbox` (and its views,
/// `201604.mbox/thread`).
pub fn index_months(html: &str) -> Vec<(Month, String)> {
    let mut out: Vec<(Month, String)> = Vec::new();
    for href in hrefs(html) {
        let Some((month, link)) = pipermail_link(href).or_else(|| mod_mbox_link(href)) else {
            continue;
        };
        if !out.iter().any(|(m, _)| *m == month) {
            out.push((month, link));
        }
    }
    out.sort();
    out
}

/// The values of `href="…"` attributes (any case, either quote).
fn hrefs(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("href=") {
        let start = from + at + 5;
        let quote = html.as_bytes().get(start).copied();
        let (open, close) = match quote {
            Some(q @ (b'"' | b'\'')) => (start + 1, q),
            _ => (start, b' '),
        };
        let len = html.as_bytes()[open..]
            .iter()
            .position(|b| *b == close || *b == b'>')
            .unwrap_or(html.len() - open);
        out.push(&html[open..open + len]);
        from = open + len;
    }
    out
}

/// `2016-April.txt(.gz)`.
fn pipermail_link(href: &str) -> Option<(Month, String)> {
    let stem = href
        .strip_suffix(".txt.gz")
        .or_else(|| href.strip_suffix(".txt"))?;
    let (year, name) = stem.rsplit('/').next()?.split_once('-')?;
    let month = MONTHS.iter().position(|m| *m == name)? as i8 + 1;
    Some((
        Month {
            year: year.parse().ok()?,
            month,
        },
        href.to_owned(),
    ))
}

/// `201604.mbox` or `201604.mbox/thread`.
fn mod_mbox_link(href: &str) -> Option<(Month, String)> {
    let at = href.find(".mbox")?;
    let digits = &href[..at];
    let digits = digits.rsplit('/').next()?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month: i8 = digits[4..].parse().ok()?;
    (1..=12).contains(&month).then(|| {
        (
            Month {
                year: digits[..4].parse().unwrap_or_default(),
                month,
            },
            href[..at + 5].to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_by_argument() {
        assert_eq!(
            Source::parse("https://lists.example.org/hyperkitty/list/dev@example.org"),
            Ok(Source::HyperKitty {
                url: "https://lists.example.org/hyperkitty/list/dev@example.org/".into(),
                name: "dev@example.org".into()
            })
        );
        assert_eq!(
            Source::parse("https://mail.example.org/pipermail/dev"),
            Ok(Source::Index(
                "https://mail.example.org/pipermail/dev/".into()
            ))
        );
        assert!(Source::parse("apache:dev").is_err());
        assert!(Source::parse("/no/such/archive.mbox").is_err());
    }

    #[test]
    fn month_urls() {
        let m = Month {
            year: 2024,
            month: 12,
        };
        let hk = Source::HyperKitty {
            url: "https://h/hyperkitty/list/dev@x.org/".into(),
            name: "dev@x.org".into(),
        };
        assert_eq!(
            hk.month_url(m).as_deref(),
            Some(
                "https://h/hyperkitty/list/dev@x.org/export/dev@x.org-2024-12.mbox.gz?start=2024-12-01&end=2025-01-01"
            )
        );
        let apache = Source::Apache {
            list: "dev@kafka.apache.org".into(),
            base: "https://lists.apache.org".into(),
        };
        assert_eq!(
            apache.month_url(m).as_deref(),
            Some("https://lists.apache.org/api/mbox.lua?list=dev@kafka.apache.org&date=2024-12")
        );
        assert_eq!(
            Month {
                year: 2024,
                month: 11
            }
            .through(Month {
                year: 2025,
                month: 1
            })
            .len(),
            3
        );
    }
}

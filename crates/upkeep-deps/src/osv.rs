//! The OSV service (<https://osv.dev>): which vulnerabilities affect each of
//! many pinned packages, in batches of 1,000 queries (`POST
//! /v1/querybatch`, which answers ids and `modified` times only), and each
//! record whole (`GET /v1/vulns/{id}`). Through the shared HTTP client:
//! retries on 429 and 5xx, `Retry-After`, size caps.

use serde_json::{Value, json};
use std::time::Duration;
use upkeep_core::advisories::osv::Record;
use upkeep_http::{Client, Options};

/// The public service.
pub const PUBLIC_URL: &str = "https://api.osv.dev";

/// The most queries OSV takes in one batch.
pub const BATCH: usize = 1000;

/// The most further pages read for one query with more vulnerabilities
/// than OSV lists at once.
const MAX_PAGES: usize = 20;

/// A vulnerability OSV lists for a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Its id.
    pub id: String,
    /// When its record last changed.
    pub modified: String,
}

/// Why OSV could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum OsvError {
    /// The request failed (after the client's retries).
    #[error(transparent)]
    Http(#[from] upkeep_http::Error),
    /// The answer is not what the API describes.
    #[error("{url}: not an OSV answer ({message})")]
    Json {
        /// What was asked.
        url: String,
        /// What is wrong.
        message: String,
    },
}

/// A client of one OSV service.
pub struct OsvClient {
    client: Client,
}

impl OsvClient {
    /// A client of the service at `base` (`UPKEEP_OSV_URL`, else
    /// [`PUBLIC_URL`]).
    pub fn new(base: &str) -> Result<OsvClient, OsvError> {
        let mut options = Options::new(base, None);
        options.retries = 3;
        options.backoff = Duration::from_millis(500);
        options.timeout = Duration::from_secs(60);
        options.max_body = 64 << 20;
        Ok(OsvClient {
            client: Client::new(options)?,
        })
    }

    /// Requests made so far.
    pub fn requests(&self) -> u64 {
        self.client.requests()
    }

    /// For each package URL of `purls` (each with its version), the
    /// vulnerabilities OSV lists, in the same order: one request per
    /// [`BATCH`] packages, and more only for a package with more
    /// vulnerabilities than one answer holds.
    pub fn query(&self, purls: &[String]) -> Result<Vec<Vec<Listed>>, OsvError> {
        let mut all = Vec::with_capacity(purls.len());
        for chunk in purls.chunks(BATCH) {
            let queries: Vec<Value> = chunk
                .iter()
                .map(|purl| json!({ "package": { "purl": purl } }))
                .collect();
            let results = self.batch(&queries)?;
            for (purl, result) in chunk.iter().zip(results) {
                let (mut found, mut token) = listed(&result)?;
                let mut pages = 0;
                while let Some(page_token) = token.take().filter(|_| pages < MAX_PAGES) {
                    let query = json!({ "package": { "purl": purl }, "page_token": page_token });
                    let more = self.batch(&[query])?;
                    let (next, next_token) = listed(more.first().unwrap_or(&Value::Null))?;
                    found.extend(next);
                    token = next_token;
                    pages += 1;
                }
                all.push(found);
            }
        }
        Ok(all)
    }

    /// The results of one batch, one per query.
    fn batch(&self, queries: &[Value]) -> Result<Vec<Value>, OsvError> {
        let body = json!({ "queries": queries }).to_string();
        let answer = self
            .client
            .post("/v1/querybatch", "application/json", &body, &mut |_| {})?;
        let malformed = |message: String| OsvError::Json {
            url: format!("{}/v1/querybatch", self.client.shown_base()),
            message,
        };
        let doc: Value = serde_json::from_str(&answer).map_err(|e| malformed(e.to_string()))?;
        let results = doc["results"]
            .as_array()
            .ok_or_else(|| malformed("no `results` list".into()))?;
        if results.len() != queries.len() {
            return Err(malformed(format!(
                "{} results for {} queries",
                results.len(),
                queries.len()
            )));
        }
        Ok(results.clone())
    }

    /// The record `id`, as JSON text (to be cached as sent), or `None` when
    /// OSV has no such record.
    pub fn record_text(&self, id: &str) -> Result<Option<String>, OsvError> {
        let path = format!("/v1/vulns/{}", encode(id));
        let bytes = self.client.get_bytes(&path, &mut |_| {})?;
        Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }
}

/// The vulnerabilities of one result, and its next page's token.
fn listed(result: &Value) -> Result<(Vec<Listed>, Option<String>), OsvError> {
    let vulns = result["vulns"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let listed = vulns
        .iter()
        .filter_map(|v| {
            Some(Listed {
                id: v["id"].as_str()?.to_owned(),
                modified: v["modified"].as_str().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    let token = result["next_page_token"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    Ok((listed, token))
}

/// An id as a path segment: OSV's ids are letters, digits, `-`, `_`, `.`
/// and `:`; anything else is percent-encoded.
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b':' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Reads a record's JSON text: `Err` names what is wrong (a record that is
/// not OSV is skipped and counted by its caller).
pub fn parse_record(text: &str) -> Result<Record, String> {
    let record: Record = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if record.id.is_empty() {
        return Err("no `id`".into());
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_path_safe_and_records_need_an_id() {
        assert_eq!(encode("GHSA-35jh-r3h4-6jhm"), "GHSA-35jh-r3h4-6jhm");
        assert_eq!(encode("a/../b c"), "a%2F..%2Fb%20c");
        assert!(parse_record(r#"{"id":"GO-2020-0001","modified":"x"}"#).is_ok());
        assert_eq!(
            parse_record(r#"{"modified":"x"}"#).expect_err("no id"),
            "no `id`"
        );
        assert!(parse_record(r#"{"id":"x","affected":"not a list"}"#).is_err());
    }
}

//! Package URLs (`pkg:type/namespace/name@version`), the identifiers SBOMs and
//! upkeep use to name a package in its registry.

use std::fmt;

/// The package registries upkeep can look packages up in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    /// crates.io (`pkg:cargo`).
    Cargo,
    /// npm (`pkg:npm`).
    Npm,
    /// PyPI (`pkg:pypi`).
    PyPi,
    /// Go modules (`pkg:golang`).
    Go,
    /// Any other package URL type, as written.
    Other(String),
}

impl Ecosystem {
    /// The package URL type.
    pub fn purl_type(&self) -> &str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPi => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::Other(t) => t,
        }
    }

    /// OSV's name of the ecosystem, for those whose versions upkeep
    /// orders (see `advisories::version`).
    pub fn osv_name(&self) -> Option<&'static str> {
        match self {
            Ecosystem::Cargo => Some("crates.io"),
            Ecosystem::Npm => Some("npm"),
            Ecosystem::PyPi => Some("PyPI"),
            Ecosystem::Go => Some("Go"),
            Ecosystem::Other(_) => None,
        }
    }

    fn from_purl_type(t: &str) -> Self {
        match t.to_ascii_lowercase().as_str() {
            "cargo" => Ecosystem::Cargo,
            "npm" => Ecosystem::Npm,
            "pypi" => Ecosystem::PyPi,
            "golang" => Ecosystem::Go,
            other => Ecosystem::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.purl_type())
    }
}

/// A parsed package URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purl {
    /// Its registry.
    pub ecosystem: Ecosystem,
    /// The name as the registry knows it: `@scope/name` on npm, the module
    /// path in Go, the normalized project name on PyPI.
    pub name: String,
    /// The version, if given.
    pub version: Option<String>,
}

impl Purl {
    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath`; `None` if it is not one.
    pub fn parse(text: &str) -> Option<Purl> {
        let rest = text.trim().strip_prefix("pkg:")?;
        let rest = rest.split('#').next()?.split('?').next()?;
        let (path, version) = match rest.rsplit_once('@') {
            // An `@` in the first segment of an npm path is an encoded scope, not a version.
            Some((path, version)) if path.contains('/') => (path, Some(decode(version))),
            _ => (rest, None),
        };
        let (kind, path) = path.split_once('/')?;
        let ecosystem = Ecosystem::from_purl_type(kind);
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        if segments.is_empty() {
            return None;
        }
        let mut name = segments.join("/");
        if ecosystem == Ecosystem::PyPi {
            name = pypi_name(&name);
        }
        Some(Purl {
            ecosystem,
            name,
            version,
        })
    }

    /// The repository the package URL itself names, without asking anyone:
    /// GitHub Actions and `pkg:github` packages, and Go modules whose path is
    /// on a forge (`github.com/owner/name/v2/sub`) or on gopkg.in.
    pub fn repository(&self) -> Option<String> {
        match &self.ecosystem {
            Ecosystem::Other(t) if t == "github" || t == "githubactions" => {
                super::repo_url::normalize(&format!("https://github.com/{}", self.name))
            }
            Ecosystem::Go => {
                if let Some(rest) = self.name.strip_prefix("gopkg.in/") {
                    // gopkg.in/yaml.v3 → go-yaml/yaml; gopkg.in/user/pkg.v1 → user/pkg
                    let rest = rest.split('.').next()?;
                    let path = match rest.split_once('/') {
                        Some((user, name)) => format!("{user}/{name}"),
                        None => format!("go-{rest}/{rest}"),
                    };
                    return super::repo_url::normalize(&format!("https://github.com/{path}"));
                }
                super::repo_url::normalize_forge(&format!("https://{}", self.name))
            }
            _ => None,
        }
    }

    /// The package URL of `name` at `version` in `ecosystem`.
    pub fn format(ecosystem: &Ecosystem, name: &str, version: Option<&str>) -> String {
        let name = name.replace('@', "%40");
        match version {
            Some(v) => format!("pkg:{}/{name}@{v}", ecosystem.purl_type()),
            None => format!("pkg:{}/{name}", ecosystem.purl_type()),
        }
    }
}

/// A PyPI project name normalized as PEP 503 says: lower case, runs of `-_.` as one `-`.
pub fn pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_registries_names() {
        let p = Purl::parse("pkg:npm/%40babel/helper-string-parser@7.19.4").expect("npm");
        assert_eq!(
            (p.ecosystem, p.name.as_str(), p.version.as_deref()),
            (
                Ecosystem::Npm,
                "@babel/helper-string-parser",
                Some("7.19.4")
            )
        );
        let p = Purl::parse("pkg:golang/github.com/spf13/cobra@v1.8.0?type=module").expect("go");
        assert_eq!(
            (p.ecosystem, p.name.as_str(), p.version.as_deref()),
            (Ecosystem::Go, "github.com/spf13/cobra", Some("v1.8.0"))
        );
        let p = Purl::parse("pkg:pypi/Django_Rest.Framework").expect("pypi");
        assert_eq!(
            (p.name.as_str(), p.version),
            ("django-rest-framework", None)
        );
        let p = Purl::parse("pkg:deb/debian/libselinux1-dev@3.1-3?arch=s390x").expect("deb");
        assert_eq!(p.ecosystem, Ecosystem::Other("deb".into()));
        assert_eq!(Purl::parse("cargo:serde"), None);
        let repo = |p: &str| Purl::parse(p).and_then(|p| p.repository());
        assert_eq!(
            repo("pkg:golang/github.com/spf13/cobra/v2/doc@v2.0.0").as_deref(),
            Some("https://github.com/spf13/cobra")
        );
        assert_eq!(
            repo("pkg:golang/gopkg.in/yaml.v3@v3.0.1").as_deref(),
            Some("https://github.com/go-yaml/yaml")
        );
        assert_eq!(repo("pkg:golang/golang.org/x/text@v0.14.0"), None);
        assert_eq!(
            repo("pkg:githubactions/actions/checkout@v4").as_deref(),
            Some("https://github.com/actions/checkout")
        );
        assert_eq!(
            Purl::format(&Ecosystem::Npm, "@types/node", Some("20.1.0")),
            "pkg:npm/%40types/node@20.1.0"
        );
    }
}

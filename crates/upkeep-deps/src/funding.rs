//! FUNDING.yml (GitHub's format): where a project accepts money.

/// The funding links a FUNDING.yml names, as URLs, in the file's order
/// (none from a file whose YAML aliases expand past what any such file has).
pub fn links(text: &str) -> Vec<String> {
    if crate::yaml_size::too_large(text).is_some() {
        return Vec::new();
    }
    let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(text) else {
        return Vec::new();
    };
    let Some(map) = docs.first().and_then(yaml_rust2::Yaml::as_hash) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(platform) = key.as_str() else {
            continue;
        };
        let names: Vec<&str> = match value {
            yaml_rust2::Yaml::String(s) => vec![s.as_str()],
            yaml_rust2::Yaml::Array(items) => items.iter().filter_map(|i| i.as_str()).collect(),
            _ => Vec::new(),
        };
        for name in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            let url = match platform {
                "github" => format!("https://github.com/sponsors/{name}"),
                "patreon" => format!("https://www.patreon.com/{name}"),
                "open_collective" => format!("https://opencollective.com/{name}"),
                "ko_fi" => format!("https://ko-fi.com/{name}"),
                "tidelift" => format!("https://tidelift.com/funding/github/{name}"),
                "community_bridge" => {
                    format!("https://funding.communitybridge.org/projects/{name}")
                }
                "liberapay" => format!("https://liberapay.com/{name}"),
                "issuehunt" => format!("https://issuehunt.io/r/{name}"),
                "polar" => format!("https://polar.sh/{name}"),
                "buy_me_a_coffee" => format!("https://buymeacoffee.com/{name}"),
                "thanks_dev" => format!("https://thanks.dev/{name}"),
                "lfx_crowdfunding" => {
                    format!("https://crowdfunding.lfx.linuxfoundation.org/projects/{name}")
                }
                _ => name.to_owned(),
            };
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn platforms_become_urls() {
        let text = "github: [octocat, surftocat]\nopen_collective: babel\ntidelift: npm/babel\ncustom: [\"https://example.org/donate\"]\nko_fi: # none\n";
        assert_eq!(
            super::links(text),
            [
                "https://github.com/sponsors/octocat",
                "https://github.com/sponsors/surftocat",
                "https://opencollective.com/babel",
                "https://tidelift.com/funding/github/npm/babel",
                "https://example.org/donate",
            ]
        );
    }
}

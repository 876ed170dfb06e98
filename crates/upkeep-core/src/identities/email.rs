//! What an e-mail address says: its domain, the organization behind the
//! domain if it has one, the GitHub login behind a noreply address.

/// Domains of free-mail providers and relays: an address there says nothing
/// about an employer.
const FREE_MAIL: &[&str] = &[
    "126.com",
    "139.com",
    "163.com",
    "aliyun.com",
    "aol.com",
    "att.net",
    "bigpond.com",
    "bk.ru",
    "btinternet.com",
    "comcast.net",
    "disroot.org",
    "duck.com",
    "fastmail.com",
    "fastmail.fm",
    "foxmail.com",
    "free.fr",
    "gmail.com",
    "gmx.at",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hanmail.net",
    "hey.com",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "icloud.com",
    "inbox.ru",
    "interia.pl",
    "laposte.net",
    "libero.it",
    "list.ru",
    "live.com",
    "live.co.uk",
    "mac.com",
    "mail.com",
    "mail.ru",
    "mailbox.org",
    "me.com",
    "msn.com",
    "naver.com",
    "o2.pl",
    "orange.fr",
    "outlook.com",
    "pobox.com",
    "outlook.de",
    "outlook.jp",
    "pm.me",
    "posteo.de",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "rambler.ru",
    "rediffmail.com",
    "riseup.net",
    "sbcglobal.net",
    "seznam.cz",
    "shaw.ca",
    "sina.com",
    "sohu.com",
    "t-online.de",
    "tutanota.com",
    "ukr.net",
    "verizon.net",
    "web.de",
    "wp.pl",
    "xs4all.nl",
    "yahoo.co.in",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.de",
    "yahoo.fr",
    "yandex.com",
    "yandex.ru",
    "yeah.net",
    "ymail.com",
    "zoho.com",
    "users.noreply.github.com",
    "noreply.github.com",
    "github.com",
    "users.noreply.gitlab.com",
    "users.sourceforge.net",
    "googlegroups.com",
];

/// The address trimmed and lower-cased, the form every lookup uses.
pub fn normalize(email: &str) -> String {
    email.trim().trim_matches(['<', '>']).to_lowercase()
}

/// The domain of an address, lower-cased, if it has one.
pub fn domain(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// The GitHub login of a noreply address: `123+login@users.noreply.github.com`
/// or `login@users.noreply.github.com`.
pub fn github_login(email: &str) -> Option<String> {
    let email = normalize(email);
    let local = email.strip_suffix("@users.noreply.github.com")?;
    let login = local.split_once('+').map_or(local, |(_, login)| login);
    (!login.is_empty()).then(|| login.to_owned())
}

/// The registered domain (`us.ibm.com` → `ibm.com`, `bbc.co.uk` → `bbc.co.uk`), per the public suffix list.
pub fn registered_domain(domain: &str) -> Option<String> {
    psl::domain_str(domain).map(str::to_owned)
}

/// Why an address's domain can name no organization, if it cannot.
pub fn no_organization(domain: &str) -> Option<&'static str> {
    let local = !domain.contains('.')
        || domain == "localhost"
        || [
            ".local",
            ".localdomain",
            ".lan",
            ".internal",
            ".home",
            ".(none)",
        ]
        .iter()
        .any(|s| domain.ends_with(s))
        || domain.parse::<std::net::IpAddr>().is_ok()
        || registered_domain(domain).is_none();
    if local {
        return Some("the address is local to a machine");
    }
    let registered = registered_domain(domain).unwrap_or_default();
    (FREE_MAIL.contains(&domain) || FREE_MAIL.contains(&registered.as_str()))
        .then_some("the address is at a free-mail or relay provider")
}

/// Whether every one of `emails` is at a free-mail or relay provider (and
/// there is at least one): a person with no address an employer could own,
/// counted as independent rather than unknown.
pub fn only_free_mail<'a>(emails: impl IntoIterator<Item = &'a String>) -> bool {
    let mut any = false;
    for e in emails {
        any = true;
        let free = domain(e)
            .and_then(|d| no_organization(&d))
            .is_some_and(|why| why.contains("free-mail"));
        if !free {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independent_only_with_free_mail_addresses() {
        let emails = |list: &[&str]| list.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>();
        assert!(only_free_mail(&emails(&[
            "a@gmail.com",
            "a@users.noreply.github.com"
        ])));
        assert!(!only_free_mail(&emails(&["a@gmail.com", "a@acme.example"])));
        assert!(!only_free_mail(&emails(&[])));
        assert!(!only_free_mail(&emails(&["a@localhost"])));
    }

    #[test]
    fn noreply_logins() {
        assert_eq!(
            github_login("123+Octocat@users.noreply.github.com").as_deref(),
            Some("octocat")
        );
        assert_eq!(
            github_login("octocat@users.noreply.github.com").as_deref(),
            Some("octocat")
        );
        assert_eq!(github_login("octocat@github.com"), None);
    }

    #[test]
    fn domains() {
        assert_eq!(domain("A@US.IBM.com").as_deref(), Some("us.ibm.com"));
        assert_eq!(registered_domain("us.ibm.com").as_deref(), Some("ibm.com"));
        assert_eq!(
            registered_domain("news.bbc.co.uk").as_deref(),
            Some("bbc.co.uk")
        );
        assert_eq!(no_organization("ibm.com"), None);
        assert!(no_organization("gmail.com").is_some());
        assert!(no_organization("mail.163.com").is_some());
        assert!(
            no_organization("pobox.com").is_some(),
            "a forwarding service"
        );
        assert!(no_organization("users.noreply.github.com").is_some());
        assert!(no_organization("localhost").is_some());
        assert!(no_organization("buildhost.localdomain").is_some());
        assert!(no_organization("myhost").is_some());
        assert!(no_organization("127.0.0.1").is_some());
    }
}

//! TLS to PostgreSQL against the test server (`UPKEEP_TEST_DATABASE_URL`,
//! whose user must be a superuser): the test makes a certificate authority
//! and a server certificate for `localhost` with the `openssl` command,
//! installs them in the server's data directory, turns `ssl` on and reloads,
//! then opens stores with each `sslmode`. `ssl` stays on: whatever runs
//! after it on the server (the CLI suite on PostgreSQL) goes over TLS.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use upkeep_store::{Location, SslMode, Store};

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A certificate authority `NAME.crt`/`NAME.key` in `dir`.
fn authority(dir: &Path, name: &str) {
    let (crt, key, subject) = (
        format!("{name}.crt"),
        format!("{name}.key"),
        format!("/CN=upkeep test {name}"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &crt,
            "-days",
            "2",
            "-subj",
            &subject,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

/// `server.crt`/`server.key` in `dir`, for the name `localhost` only,
/// signed by the authority `ca`.
fn server_certificate(dir: &Path) {
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .expect("writes");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

/// Writes `file`'s lines to `name` in the server's data directory (as the
/// server's user, mode 0600, as the server wants its key).
fn install(admin: &mut postgres::Client, data_dir: &str, file: &Path, name: &str) {
    let text = std::fs::read_to_string(file).expect("reads");
    assert!(!text.contains('$') && !text.contains('\\'), "PEM text only");
    let sql = format!(
        "COPY (SELECT unnest(string_to_array($pem${}$pem$, E'\\n'))) \
         TO PROGRAM 'rm -f \"{data_dir}/{name}\" && umask 077 && cat > \"{data_dir}/{name}\"'",
        text.trim_end()
    );
    admin
        .batch_execute(&sql)
        .expect("writes into the data directory");
}

/// Whether the connection of the store opened with `application_name`
/// `app` is encrypted, as the server sees it.
fn encrypted(admin: &mut postgres::Client, app: &str) -> bool {
    let row = admin
        .query_one(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE a.application_name = $1 LIMIT 1",
            &[&app],
        )
        .expect("the store's connection is seen");
    row.get(0)
}

/// `e` and its causes, on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[test]
fn each_sslmode_against_a_server_with_a_certificate_the_test_made() {
    let Some(url) = support::database_url() else {
        return;
    };
    let config: postgres::Config = url.parse().expect("a URL");
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().expect("a user").to_owned();
    let database = config.get_dbname().unwrap_or("postgres").to_owned();
    let mut admin = config.connect(postgres::NoTls).expect("connects");
    let superuser: bool = admin
        .query_one(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .expect("reads")
        .get(0);
    assert!(
        superuser,
        "the TLS test installs a certificate: {user} must be a superuser"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    authority(dir.path(), "ca");
    authority(dir.path(), "other");
    server_certificate(dir.path());
    let data_dir: String = admin
        .query_one("SHOW data_directory", &[])
        .expect("reads")
        .get(0);
    install(
        &mut admin,
        &data_dir,
        &dir.path().join("server.crt"),
        "upkeep-test-server.crt",
    );
    install(
        &mut admin,
        &data_dir,
        &dir.path().join("server.key"),
        "upkeep-test-server.key",
    );
    for setting in [
        "ALTER SYSTEM SET ssl_cert_file = 'upkeep-test-server.crt'",
        "ALTER SYSTEM SET ssl_key_file = 'upkeep-test-server.key'",
        "ALTER SYSTEM SET ssl = on",
        "SELECT pg_reload_conf()",
    ] {
        admin.batch_execute(setting).expect("configures TLS");
    }

    let ca = dir.path().join("ca.crt");
    let other = dir.path().join("other.crt");
    let open = |host: &str, query: &str, app: &str| {
        let url = format!(
            "postgres://{user}@{host}:{port}/{database}?hostaddr=127.0.0.1&application_name={app}&schema=tls_{}&{query}",
            std::process::id()
        );
        let location = Location::parse(url.as_ref()).map_err(|e| e.to_string())?;
        Store::open_at(&location, || {}).map_err(|e| chain(&e))
    };
    let refused = |host: &str, query: &str, app: &str| match open(host, query, app) {
        Ok(_) => panic!("{host} with {query} opened"),
        Err(e) => e,
    };
    let verify_full = format!("sslmode=verify-full&sslrootcert={}", ca.display());
    // The reload takes effect shortly after it is asked for.
    let started = Instant::now();
    let store = loop {
        match open("localhost", &verify_full, "tls_full") {
            Ok(store) => break store,
            Err(e) if started.elapsed() > Duration::from_secs(20) => panic!("{e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    assert!(encrypted(&mut admin, "tls_full"));
    drop(store);

    // The certificate names localhost, not 127.0.0.1: verify-full refuses
    // it there, verify-ca (the chain only) accepts it.
    let err = refused("127.0.0.1", &verify_full, "tls_wrong_name");
    assert!(err.contains("certificate"), "{err}");
    let verify_ca = format!("sslmode=verify-ca&sslrootcert={}", ca.display());
    let store = open("127.0.0.1", &verify_ca, "tls_ca").expect("the chain is trusted");
    assert!(encrypted(&mut admin, "tls_ca"));
    drop(store);

    // Another authority's roots: refused in both checking modes.
    for mode in ["verify-ca", "verify-full"] {
        let query = format!("sslmode={mode}&sslrootcert={}", other.display());
        let err = refused("localhost", &query, "tls_other");
        assert!(err.contains("certificate"), "{mode}: {err}");
    }

    // require encrypts without checking; disable does not encrypt; a local
    // host without sslmode prefers TLS, which the server now offers.
    let store = open("127.0.0.1", "sslmode=require", "tls_require").expect("opens");
    assert!(encrypted(&mut admin, "tls_require"));
    drop(store);
    let store = open("127.0.0.1", "sslmode=disable", "tls_disable").expect("opens");
    assert!(!encrypted(&mut admin, "tls_disable"));
    drop(store);
    let store = open("127.0.0.1", "", "tls_default").expect("opens");
    assert!(encrypted(&mut admin, "tls_default"));
    drop(store);

    let bad = refused("127.0.0.1", "sslmode=allow", "tls_bad");
    assert!(
        bad.contains("disable, prefer, require, verify-ca, verify-full"),
        "{bad}"
    );
    let target = upkeep_store::PgTarget::parse("postgres://u@db.example.org/x").expect("parses");
    assert_eq!(
        target.ssl_mode(),
        SslMode::Require,
        "a remote host requires TLS"
    );
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS tls_{} CASCADE",
            std::process::id()
        ))
        .expect("cleans up");
}

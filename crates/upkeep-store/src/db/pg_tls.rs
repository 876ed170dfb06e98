//! TLS to PostgreSQL, as libpq's `sslmode` and `sslrootcert` say, with
//! rustls (ring, the provider the HTTP client uses too).
//!
//! | `sslmode` | encrypted | the certificate checked |
//! |---|---|---|
//! | `disable` | never | — |
//! | `prefer` | when the server offers it | no |
//! | `require` | always | no (it only protects against eavesdropping) |
//! | `verify-ca` | always | signed by a root of `sslrootcert` |
//! | `verify-full` | always | signed by a root, and issued to the host connected to |
//!
//! Without `sslmode` (in the URL or `PGSSLMODE`), a server on this machine
//! (`localhost`, a loopback address, a Unix socket) is `prefer` and any
//! other `require`. `sslrootcert` is a PEM file, or `system` for the
//! machine's roots; without it, `~/.postgresql/root.crt` as for libpq.

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::PathBuf;
use std::sync::Arc;

/// How a connection is protected (libpq's `sslmode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Never encrypted.
    Disable,
    /// Encrypted when the server offers it, the certificate not checked.
    Prefer,
    /// Always encrypted, the certificate not checked.
    Require,
    /// Always encrypted, the certificate signed by a trusted root.
    VerifyCa,
    /// Always encrypted, the certificate signed by a trusted root and issued
    /// to the host.
    VerifyFull,
}

impl SslMode {
    /// Reads an `sslmode` value.
    pub fn parse(value: &str) -> Result<SslMode, String> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode={other:?} is not one of disable, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }

    /// The default for `hosts`: `prefer` when every host is on this
    /// machine, else `require`.
    pub fn default_for(hosts: &[postgres::config::Host]) -> SslMode {
        let local = |host: &postgres::config::Host| match host {
            postgres::config::Host::Unix(_) => true,
            postgres::config::Host::Tcp(name) => {
                let name = name.trim_start_matches('[').trim_end_matches(']');
                name == "localhost"
                    || name
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
        };
        match hosts.iter().all(local) {
            true => SslMode::Prefer,
            false => SslMode::Require,
        }
    }

    /// What the postgres client is told: whether TLS is tried, and needed.
    pub fn client_mode(self) -> postgres::config::SslMode {
        match self {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        }
    }

    /// The value as written in a URL.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// The rustls client configuration of `mode`, with the roots of `root_cert`
/// (a PEM file, `system`, or `~/.postgresql/root.crt` when not given) for
/// the modes that check certificates.
pub fn client_config(mode: SslMode, root_cert: Option<&str>) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => Arc::new(Unchecked {
            provider: provider.clone(),
        }),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(roots(root_cert)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| format!("cannot check certificates: {e}"))?;
            match mode {
                SslMode::VerifyCa => Arc::new(AnyName { webpki }),
                _ => webpki,
            }
        }
    };
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// The trusted roots: the PEM file `root_cert`, the machine's for `system`,
/// else libpq's `~/.postgresql/root.crt`.
fn roots(root_cert: Option<&str>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    if root_cert == Some("system") {
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = store.add_parsable_certificates(found.certs);
        if added == 0 {
            return Err("sslrootcert=system: this machine has no root certificates".into());
        }
        return Ok(store);
    }
    let path = match root_cert {
        Some(path) => PathBuf::from(path),
        None => std::env::home_dir()
            .unwrap_or_default()
            .join(".postgresql/root.crt"),
    };
    let bytes = upkeep_input::read(&path, upkeep_input::Kind::Secret).map_err(|e| {
        format!("verify-ca and verify-full check the server against sslrootcert=FILE (a PEM file, or `system`): {e}")
    })?;
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| format!("{}: not a PEM certificate ({e})", path.display()))?;
        store
            .add(cert)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if store.is_empty() {
        return Err(format!("{}: no certificate in it", path.display()));
    }
    Ok(store)
}

/// `prefer` and `require`: encrypted, the certificate not checked (the
/// handshake's signatures still are).
#[derive(Debug)]
struct Unchecked {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `verify-ca`: the chain checked against the roots, the name not.
#[derive(Debug)]
struct AnyName {
    webpki: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let checked = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match checked {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postgres::config::Host;

    #[test]
    fn modes_and_their_defaults() {
        assert_eq!(SslMode::parse("verify-full"), Ok(SslMode::VerifyFull));
        let err = SslMode::parse("allow").expect_err("not a mode we take");
        assert!(
            err.contains("disable, prefer, require, verify-ca, verify-full"),
            "{err}"
        );
        let tcp = |h: &str| Host::Tcp(h.to_owned());
        let local = [
            tcp("localhost"),
            tcp("127.0.0.1"),
            tcp("::1"),
            Host::Unix("/run/pg".into()),
        ];
        assert_eq!(SslMode::default_for(&local), SslMode::Prefer);
        assert_eq!(
            SslMode::default_for(&[tcp("db.example.org")]),
            SslMode::Require
        );
        assert_eq!(
            SslMode::default_for(&[tcp("127.0.0.1"), tcp("10.0.0.5")]),
            SslMode::Require
        );
        assert_eq!(
            SslMode::VerifyCa.client_mode(),
            postgres::config::SslMode::Require
        );
    }

    #[test]
    fn checking_modes_need_roots() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("root.crt");
        let err = client_config(SslMode::VerifyFull, missing.to_str()).expect_err("no file");
        assert!(err.contains("sslrootcert=FILE"), "{err}");
        std::fs::write(&missing, "not a certificate\n").expect("writes");
        let err = client_config(SslMode::VerifyCa, missing.to_str()).expect_err("no cert");
        assert!(err.contains("no certificate in it"), "{err}");
        client_config(SslMode::Require, None).expect("require needs no roots");
    }
}

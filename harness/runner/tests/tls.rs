//! The TLS transport against small rustls servers of this test: a trusted certificate, an
//! expired one, one for another host, a server that stalls or answers garbage, one that
//! requires client certificates, and one that closes without close_notify. Every outcome is a
//! clear verdict within the case's time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use wirecheck_core::engine::EngineConfig;
use wirecheck_core::model::{load_cases, LoadOptions};
use wirecheck_core::result::{CaseResult, Verdict};
use wirecheck_runner::{run_case, Dialer, TargetUrl, TlsClient, TlsSettings};

struct Pki {
    ca: CertifiedIssuer<'static, KeyPair>,
}

impl Pki {
    fn new() -> Pki {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        Pki {
            ca: CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap(),
        }
    }

    /// A leaf certificate for `names`, signed by the CA; `expired` puts it in the past.
    fn leaf(
        &self,
        names: &[&str],
        expired: bool,
    ) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let mut params =
            CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap();
        if expired {
            params.not_before = date_time_ymd(2019, 1, 1);
            params.not_after = date_time_ymd(2020, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.ca).unwrap();
        (
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
    }

    fn ca_pem(&self) -> Vec<u8> {
        self.ca.pem().into_bytes()
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How the test server behaves after the handshake.
#[derive(Clone, Copy)]
enum After {
    /// Answers every request with 200 "hi"; sends close_notify on `Connection: close`.
    Serve,
    /// Answers once, then closes TCP without close_notify.
    NoCloseNotify,
}

/// A TLS server on loopback; `client_ca` makes client certificates required.
async fn tls_server(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    client_ca: Option<&Pki>,
    after: After,
) -> String {
    let builder = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(pki) => {
            let mut roots = RootCertStore::empty();
            roots.add(pki.ca.der().clone()).unwrap();
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let cfg = Arc::new(builder.with_single_cert(chain, key).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = tokio_rustls::TlsAcceptor::from(cfg.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 4096];
                loop {
                    let n = match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    let req = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
                    let close = req.contains("connection: close");
                    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 2\r\n{}\r\nhi",
                        if close { "Connection: close\r\n" } else { "" }
                    );
                    if tls.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let _ = tls.flush().await;
                    match after {
                        After::NoCloseNotify => {
                            // Drop the TLS layer without close_notify: the TCP FIN alone.
                            let (tcp, _) = tls.into_inner();
                            drop(tcp);
                            return;
                        }
                        After::Serve if close => {
                            let _ = tls.shutdown().await;
                            return;
                        }
                        After::Serve => {}
                    }
                }
            });
        }
    });
    url
}

/// A TCP server that accepts and then does `what` with the ClientHello.
async fn raw_server(garbage: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        loop {
            let Ok((mut tcp, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = tcp.read(&mut buf).await;
                if garbage {
                    let _ = tcp.write_all(b"this is not TLS at all\r\n\r\n").await;
                    let _ = tcp.shutdown().await;
                } else {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            });
        }
    });
    url
}

async fn run(url: &str, settings: TlsSettings, yaml: &str) -> (CaseResult, Duration) {
    let cases = load_cases("t.yaml", yaml.as_bytes(), "t", &LoadOptions::default()).unwrap();
    let target = TargetUrl::parse(url).unwrap();
    let addrs = tokio::net::lookup_host(target.authority())
        .await
        .unwrap()
        .collect();
    let client = Arc::new(TlsClient::new(&settings).unwrap());
    let dialer = Dialer::new(&target, addrs, Duration::from_secs(2), Some(client));
    let cfg = EngineConfig {
        case_timeout: Duration::from_secs(4),
        step_timeout: Duration::from_secs(2),
        start_unix: None,
        ..EngineConfig::default()
    };
    let (_tx, rx) = watch::channel(false);
    let start = Instant::now();
    let r = run_case(&cases[0], &target.vars(), &dialer, cfg, rx).await;
    (r, start.elapsed())
}

const GET: &str = "title: t\nspec: {rfc: 9110, section: \"4.3.4\"}\nlevel: must\nsteps:\n  - request: {target: /}\n  - expect_response: {status: 200, body: {equals: hi}}\n";

fn trusting(pki: &Pki) -> TlsSettings {
    TlsSettings {
        ca_pem: Some(pki.ca_pem()),
        ..TlsSettings::default()
    }
}

#[tokio::test]
async fn a_trusted_certificate_serves_and_the_facts_are_recorded() {
    let pki = Pki::new();
    let (chain, key) = pki.leaf(&["localhost"], false);
    let url = tls_server(chain, key, None, After::Serve).await;
    let (r, _) = run(&url, trusting(&pki), GET).await;
    assert_eq!(r.verdict, Verdict::Pass, "{:?} {:?}", r.message, r.findings);
    let tls = r.tls.expect("TLS facts");
    assert!(tls.version.starts_with("TLSv1."), "{tls:?}");
    assert_eq!(tls.sni.as_deref(), Some("localhost"));
    assert_eq!(tls.certificate.unwrap().sans, vec!["DNS:localhost"]);
}

#[tokio::test]
async fn expired_and_wrong_host_certificates_are_clear_errors() {
    let pki = Pki::new();
    for (names, expired, words) in [
        (&["localhost"][..], true, "Expired"),
        (&["example.invalid"][..], false, "NotValidForName"),
    ] {
        let (chain, key) = pki.leaf(names, expired);
        let url = tls_server(chain, key, None, After::Serve).await;
        let (r, took) = run(&url, trusting(&pki), GET).await;
        assert_eq!(r.verdict, Verdict::Error, "{:?}", r.message);
        let m = r.message.unwrap();
        assert!(m.contains("certificate") && m.contains(words), "{m}");
        assert!(took < Duration::from_secs(3), "{took:?}");
    }
}

#[tokio::test]
async fn insecure_runs_and_reports_the_certificate() {
    let pki = Pki::new();
    let (chain, key) = pki.leaf(&["example.invalid"], true);
    let url = tls_server(chain, key, None, After::Serve).await;
    let settings = TlsSettings {
        insecure: true,
        ..TlsSettings::default()
    };
    let cases = load_cases("t.yaml", GET.as_bytes(), "t", &LoadOptions::default()).unwrap();
    let target = TargetUrl::parse(&url).unwrap();
    let addrs = tokio::net::lookup_host(target.authority())
        .await
        .unwrap()
        .collect();
    let dialer = Dialer::new(
        &target,
        addrs,
        Duration::from_secs(2),
        Some(Arc::new(TlsClient::new(&settings).unwrap())),
    );
    let cfg = EngineConfig {
        start_unix: Some(1_800_000_000),
        ..EngineConfig::default()
    };
    let (_tx, rx) = watch::channel(false);
    let r = run_case(&cases[0], &target.vars(), &dialer, cfg, rx).await;
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"tls-cert-name"), "{rules:?}");
    assert!(rules.contains(&"tls-cert-expiry"), "{rules:?}");
    // The name rule is SHOULD level: the case is non-strict, not failed.
    assert_eq!(r.verdict, Verdict::NonStrict, "{:?}", r.message);
}

#[tokio::test]
async fn a_stalled_or_garbage_handshake_is_bounded() {
    for garbage in [false, true] {
        let url = raw_server(garbage).await;
        let (r, took) = run(&url, TlsSettings::default(), GET).await;
        assert_eq!(r.verdict, Verdict::Error, "{:?}", r.message);
        let m = r.message.unwrap();
        let want = if garbage {
            "not valid TLS"
        } else {
            "timed out"
        };
        assert!(m.contains(want), "{m}");
        assert!(took < Duration::from_secs(3), "{took:?}");
    }
}

#[tokio::test]
async fn mutual_tls_refusals_and_acceptance() {
    let pki = Pki::new();
    let (chain, key) = pki.leaf(&["localhost"], false);
    let url = tls_server(chain, key, Some(&pki), After::Serve).await;
    let (client_chain, client_key) = pki.leaf(&["client"], false);
    let pem = |der: &[u8], label: &str| {
        let b64 = base64_lines(der);
        format!("-----BEGIN {label}-----\n{b64}-----END {label}-----\n").into_bytes()
    };
    let settings = TlsSettings {
        ca_pem: Some(pki.ca_pem()),
        client_cert_pem: Some(pem(client_chain[0].as_ref(), "CERTIFICATE")),
        client_key_pem: Some(pem(client_key.secret_der(), "PRIVATE KEY")),
        ..TlsSettings::default()
    };
    let refused = |cert: &str| {
        format!("title: t\nspec: {{rfc: 8446, section: \"4.4.2.4\"}}\nlevel: must\nsteps:\n  - tls_connect: {{client_cert: {cert}}}\n  - request: {{target: /}}\n  - expect_tls: {{handshake: rejected}}\n")
    };
    for cert in ["none", "untrusted"] {
        let (r, _) = run(&url, settings.clone(), &refused(cert)).await;
        assert_eq!(r.verdict, Verdict::Pass, "{cert}: {:?}", r.message);
    }
    let ok = "title: t\nspec: {rfc: 8446, section: \"4.4.2\"}\nlevel: must\nsteps:\n  - tls_connect: {client_cert: default}\n  - expect_tls: {handshake: ok}\n  - request: {target: /}\n  - expect_response: {status: 200}\n";
    let (r, _) = run(&url, settings.clone(), ok).await;
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    assert!(r.tls.unwrap().client_certificate);
    // And the same refusal expectation fails when the server accepts.
    let (r, _) = run(&url, settings, &refused("default")).await;
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", r.message);
}

#[tokio::test]
async fn a_close_without_close_notify_is_reported() {
    let pki = Pki::new();
    let (chain, key) = pki.leaf(&["localhost"], false);
    let url = tls_server(chain, key, None, After::NoCloseNotify).await;
    let yaml = "title: t\nspec: {rfc: 8446, section: \"6.1\"}\nlevel: must\nsteps:\n  - request: {target: /}\n  - expect_response: {status: 200}\n  - expect_close: {how: fin}\n";
    let (r, _) = run(&url, trusting(&pki), yaml).await;
    assert_eq!(r.verdict, Verdict::Fail, "{:?}", r.message);
    assert!(r.findings.iter().any(|f| f.rule == "tls-close-notify"));
    // A server that sends close_notify passes the same case.
    let (chain, key) = pki.leaf(&["localhost"], false);
    let url = tls_server(chain, key, None, After::Serve).await;
    let yaml = yaml.replace("{target: /}", "{target: /, headers: ['Connection: close']}");
    let (r, _) = run(&url, trusting(&pki), &yaml).await;
    assert_eq!(r.verdict, Verdict::Pass, "{:?} {:?}", r.message, r.findings);
}

#[tokio::test]
async fn plaintext_to_tls_and_tls_to_plaintext() {
    // tls_connect to a plain HTTP server: the handshake fails, which expect_tls observes.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = tcp.read(&mut buf).await;
            let _ = tcp
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
        }
    });
    let yaml = "title: t\nspec: {rfc: 9112, section: \"2.2\"}\nlevel: should\nsteps:\n  - tls_connect: {}\n  - expect_tls: {handshake: rejected}\n";
    let (r, _) = run(
        &format!("http://127.0.0.1:{port}"),
        TlsSettings::default(),
        yaml,
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{:?}", r.message);
    // And expecting a session there fails, saying why.
    let yaml = yaml.replace("rejected", "ok");
    let (r, _) = run(
        &format!("http://127.0.0.1:{port}"),
        TlsSettings::default(),
        &yaml,
    )
    .await;
    // (A SHOULD-level case: a miss is non-strict.)
    assert_eq!(r.verdict, Verdict::NonStrict);
    assert!(r.message.unwrap().contains("not valid TLS"));
}

/// Base64 in 64-column lines (PEM bodies), without a dependency.
fn base64_lines(der: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in der.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s.as_bytes()
        .chunks(64)
        .map(|l| format!("{}\n", std::str::from_utf8(l).unwrap()))
        .collect()
}

//! The builder a test binary configures: which cases, which target, which expectations.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use libtest_mimic::{Arguments, Trial};
use tokio::runtime::Runtime;
use tokio::sync::watch;
use wirecheck_core::engine::EngineConfig;
use wirecheck_core::expectations::Expectations;
use wirecheck_core::model::{Case, Profile};
use wirecheck_core::select::Selection;
use wirecheck_core::text::Vars;
use wirecheck_runner::{default_jobs, run_case, Dialer, TargetUrl, TlsClient};

use super::env::{self, Settings};
use super::outcome::judge;
use crate::discover;

type ServerFuture = Pin<Box<dyn Future<Output = io::Result<SocketAddr>> + Send>>;
type ServerHook = Box<dyn FnOnce() -> ServerFuture + Send>;

/// The case library that ships with this copy of wirecheck (`cases/` at the root of its
/// repository), for path and git dependencies. A crates.io package carries no cases: point
/// [`Conformance::cases`] at a copy instead.
pub fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("cases"), |root| root.join("cases"))
}

/// A set of cases to run as trials against one target. See the [module docs](super).
pub struct Conformance {
    paths: Vec<PathBuf>,
    filters: Vec<String>,
    tags: Vec<String>,
    expectations: Option<PathBuf>,
    profile: Option<PathBuf>,
    target: Option<String>,
    server: Option<ServerHook>,
    features: Vec<String>,
    engine: EngineConfig,
    connect_timeout: Duration,
}

impl Default for Conformance {
    fn default() -> Self {
        Self::new()
    }
}

impl Conformance {
    /// No cases yet, no target, default timeouts (the CLI's).
    pub fn new() -> Self {
        Conformance {
            paths: Vec::new(),
            filters: Vec::new(),
            tags: Vec::new(),
            expectations: None,
            profile: None,
            target: None,
            server: None,
            features: Vec::new(),
            engine: EngineConfig::default(),
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// Adds a scenario file or a directory of them (searched recursively).
    pub fn cases(mut self, path: impl Into<PathBuf>) -> Self {
        self.paths.push(path.into());
        self
    }

    /// Keeps only cases whose id matches this glob (the CLI's `--filter`; repeatable, any
    /// match keeps the case). libtest's own name filter applies on top.
    pub fn filter(mut self, glob: impl Into<String>) -> Self {
        self.filters.push(glob.into());
        self
    }

    /// Keeps only cases with this tag (the CLI's `--tag`).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// An expectations file: known failures pass their trial, an unexpected pass fails it.
    /// `WIRECHECK_EXPECTATIONS` overrides it.
    pub fn expectations(mut self, path: impl Into<PathBuf>) -> Self {
        self.expectations = Some(path.into());
        self
    }

    /// A target profile (the CLI's `--profile`): what the target serves, and its features.
    /// `WIRECHECK_PROFILE` overrides it. Without one, today's conventions apply
    /// (`cases/README.md`, "Target profiles").
    pub fn profile(mut self, path: impl Into<PathBuf>) -> Self {
        self.profile = Some(path.into());
        self
    }

    /// A fixed target URL. `WIRECHECK_TARGET` overrides it.
    pub fn target(mut self, url: impl Into<String>) -> Self {
        self.target = Some(url.into());
        self
    }

    /// Starts the server under test: `start` runs once, on the runtime that runs the cases
    /// (so it may `tokio::spawn` the server), before the first trial; it returns the address
    /// the server listens on. Not called for `--list`, nor when `WIRECHECK_TARGET` is set.
    pub fn server<F, Fut>(mut self, start: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = io::Result<SocketAddr>> + Send + 'static,
    {
        self.server = Some(Box::new(move || Box::pin(start())));
        self
    }

    /// Features the target offers (`echo`, `range`, `etag`, `last-modified`, `put`, `status`); cases that
    /// require others are marked ignored. `WIRECHECK_FEATURES` adds to these.
    pub fn features<I, S>(mut self, features: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.features.extend(features.into_iter().map(Into::into));
        self
    }

    /// Caps every WebSocket echo loop (the CLI's `--ws-echo-count`).
    pub fn ws_echo_count(mut self, count: u32) -> Self {
        self.engine.ws.echo_limit = Some(count);
        self
    }

    /// Multiplies every WebSocket timer (the CLI's `--ws-timer-scale`).
    pub fn ws_timer_scale(mut self, scale: f64) -> Self {
        self.engine.ws.timer_scale = scale;
        self
    }

    /// Replaces the engine settings (timeouts, limits, strictness) wholesale.
    pub fn engine(mut self, engine: EngineConfig) -> Self {
        self.engine = engine;
        self
    }

    /// Parses libtest's arguments, runs the trials and returns the exit code (101 when a
    /// trial failed, like libtest; 3 when a scenario or expectations file cannot be loaded,
    /// 2 for a bad environment variable, like the CLI).
    pub fn run(self) -> ExitCode {
        let mut args = Arguments::from_args();
        // Cases wait on the network, not the CPU: run as many at once as the CLI does,
        // unless the user chose (`--test-threads`).
        if args.test_threads.is_none() {
            args.test_threads = Some(default_jobs());
        }
        match self.trials() {
            Ok(trials) => libtest_mimic::run(&args, trials).exit_code(),
            Err(SetupError { message, code }) => {
                eprintln!("{message}");
                ExitCode::from(code)
            }
        }
    }

    /// The trials, one per selected case, named by case id, for callers that drive
    /// libtest-mimic themselves. Loading errors are returned here, before any trial runs.
    pub fn trials(self) -> Result<Vec<Trial>, SetupError> {
        let settings = Settings::read().map_err(|m| SetupError::usage(format!("error: {m}")))?;
        // Certificate and key files are read and checked before any trial runs.
        let tls = settings
            .tls_client()
            .map_err(|m| SetupError::usage(format!("error: {m}")))?;
        let paths = if self.paths.is_empty() {
            vec![library()]
        } else {
            self.paths.clone()
        };
        let (cases, errors) = discover::load(&paths);
        if !errors.is_empty() {
            let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
            return Err(SetupError::load(format!(
                "{}\n{} error(s) in scenario files; no trial was run",
                text.join("\n\n"),
                errors.len()
            )));
        }
        let selection = Selection::new(&self.filters, &self.tags)
            .map_err(|e| SetupError::usage(format!("error: {e}")))?;
        let expectations = match settings.expectations.clone().or(self.expectations.clone()) {
            Some(path) => Some(discover::read_expectations(&path).map_err(SetupError::load)?),
            None => None,
        };
        let mut engine = self.engine.clone();
        if let Some(n) = settings.ws_echo_count {
            engine.ws.echo_limit = Some(n);
        }
        if let Some(scale) = settings.ws_timer_scale {
            engine.ws.timer_scale = scale;
        }
        let profile = match settings.profile.clone().or(self.profile.clone()) {
            Some(path) => discover::read_profile(&path).map_err(SetupError::load)?,
            None => Profile::default(),
        };
        let mut features = self.features.clone();
        features.extend(settings.features.iter().cloned());
        let target = settings.target.clone().or(self.target.clone());
        // The scheme provides `tls` or `plain` (a server hook is always plain HTTP).
        let tls_target = target.as_deref().is_some_and(|u| {
            let u = u.to_ascii_lowercase();
            u.starts_with("https://") || u.starts_with("wss://")
        });
        features.push(if tls_target { "tls" } else { "plain" }.to_string());
        features.extend(profile.all_features());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| SetupError::usage(format!("error: cannot start a runtime: {e}")))?;
        let (cancel_tx, cancel) = watch::channel(false);
        let shared = Arc::new(Shared {
            runtime,
            live: OnceLock::new(),
            target,
            tls,
            server: Mutex::new(self.server),
            expectations,
            profile,
            engine,
            connect_timeout: self.connect_timeout,
            cancel,
            _cancel_tx: cancel_tx,
        });
        let cases: Vec<Arc<Case>> = cases
            .into_iter()
            .filter(|c| selection.includes(c))
            .map(Arc::new)
            .collect();
        Ok(cases
            .into_iter()
            .map(|case| {
                let missing = case.requires.iter().any(|f| !features.contains(f));
                let shared = shared.clone();
                Trial::ignorable_test(case.id.clone(), move || shared.play(&case))
                    .with_ignored_flag(missing)
            })
            .collect())
    }
}

/// Why no trial could be built, and the exit code to report it with.
#[derive(Debug)]
pub struct SetupError {
    /// What to print.
    pub message: String,
    /// The exit code (see [`crate::exit`]).
    pub code: u8,
}

impl SetupError {
    fn usage(message: String) -> Self {
        SetupError {
            message,
            code: crate::exit::USAGE,
        }
    }

    fn load(message: String) -> Self {
        SetupError {
            message,
            code: crate::exit::LOAD,
        }
    }
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SetupError {}

/// What every trial shares: the runtime, and the target, resolved (and the server started)
/// by whichever trial runs first.
struct Shared {
    runtime: Runtime,
    live: OnceLock<Result<Live, String>>,
    target: Option<String>,
    server: Mutex<Option<ServerHook>>,
    tls: Option<Arc<TlsClient>>,
    expectations: Option<Expectations>,
    profile: Profile,
    engine: EngineConfig,
    connect_timeout: Duration,
    cancel: watch::Receiver<bool>,
    // Keeps the channel open: a closed channel would read as a cancelled run.
    _cancel_tx: watch::Sender<bool>,
}

/// A target ready to be played against.
struct Live {
    vars: Vars,
    dialer: Dialer,
}

impl Shared {
    fn play(&self, case: &Case) -> Result<libtest_mimic::Completion, libtest_mimic::Failed> {
        let live = match self.live.get_or_init(|| self.connect()) {
            Ok(live) => live,
            // Every trial reports it: under nextest each trial is its own process.
            Err(e) => return Err(e.clone().into()),
        };
        let result = self.runtime.block_on(run_case(
            case,
            &live.vars,
            &live.dialer,
            self.engine.clone(),
            self.cancel.clone(),
        ));
        judge(result, self.expectations.as_ref())
    }

    /// The environment's or the code's target URL, else the server hook's address.
    fn connect(&self) -> Result<Live, String> {
        let url = match &self.target {
            Some(url) => url.clone(),
            None => {
                let hook = self
                    .server
                    .lock()
                    .map_err(|_| "the server hook panicked".to_string())?
                    .take()
                    .ok_or_else(|| {
                        format!(
                            "no target: set {} (e.g. http://127.0.0.1:8080) or call \
                             Conformance::server/target",
                            env::TARGET
                        )
                    })?;
                let addr = self
                    .runtime
                    .block_on(hook())
                    .map_err(|e| format!("the test's server did not start: {e}"))?;
                format!("http://{addr}")
            }
        };
        let target = TargetUrl::parse(&url).map_err(|e| format!("{}: {e}", env::TARGET))?;
        let addrs: Vec<SocketAddr> = self
            .runtime
            .block_on(tokio::net::lookup_host(target.authority()))
            .map_err(|e| format!("cannot resolve {}: {e}", target.authority()))?
            .collect();
        Ok(Live {
            vars: target.vars_with(&self.profile),
            dialer: Dialer::new(&target, addrs, self.connect_timeout, self.tls.clone()),
        })
    }
}

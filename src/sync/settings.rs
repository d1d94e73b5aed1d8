//! The `[sync]` config section resolved for use: which API, where, who, and the
//! secret. The secret is read once per process (a `password_command` runs once),
//! is never logged, printed or stored in the database: [`Secret`]'s `Debug` and
//! `Display` show `***`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use url::Url;

use super::SyncError;
use crate::config::SyncConfig;

/// Which API the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Miniflux's REST API (`/v1/...`).
    Miniflux,
    /// The Google Reader API (FreshRSS, Miniflux's `/reader/api/0`, others).
    GReader,
}

impl Provider {
    /// The config word.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Miniflux => "miniflux",
            Provider::GReader => "greader",
        }
    }
}

/// A password or API token. Shown as `***` everywhere.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    /// The secret itself, for the one request header or form field that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// How to log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An API token (Miniflux: `X-Auth-Token`).
    Token(Secret),
    /// A username and password.
    Password {
        /// The account name.
        username: String,
        /// The password.
        password: Secret,
    },
}

/// A usable `[sync]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    /// Which API.
    pub provider: Provider,
    /// The server's base address (for greader, the API root, e.g.
    /// `https://host/api/greader.php`).
    pub url: Url,
    /// How to log in.
    pub credentials: Credentials,
}

impl SyncSettings {
    /// The `[sync]` section, or `None` when no provider is set. `config_path` is the
    /// file the section came from: a secret in a file others can read is warned
    /// about on standard error.
    pub fn from_config(
        config: &SyncConfig,
        config_path: &Path,
    ) -> Result<Option<SyncSettings>, SyncError> {
        let provider = match config.provider.trim() {
            "" => return Ok(None),
            "miniflux" => Provider::Miniflux,
            "greader" => Provider::GReader,
            other => {
                return Err(SyncError::Settings(format!(
                    "unknown provider \"{other}\": expected \"miniflux\" or \"greader\""
                )));
            }
        };
        if config.url.trim().is_empty() {
            return Err(SyncError::Settings(
                "provider is set but url is empty".into(),
            ));
        }
        let mut url = Url::parse(config.url.trim())
            .map_err(|err| SyncError::Settings(format!("url is not an address: {err}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SyncError::Settings(
                "url must start with http:// or https://".into(),
            ));
        }
        // Credentials belong in username/password; never keep them in the address,
        // which appears in messages.
        let _ = url.set_password(None);
        let _ = url.set_username("");
        if !config.token.is_empty() || !config.password.is_empty() {
            warn_if_readable(config_path);
        }
        let credentials = if !config.token.is_empty() && provider == Provider::Miniflux {
            Credentials::Token(Secret::new(config.token.clone()))
        } else {
            if config.username.trim().is_empty() {
                return Err(SyncError::Settings(
                    missing_username(config, provider).into(),
                ));
            }
            Credentials::Password {
                username: config.username.trim().to_string(),
                password: password(config)?,
            }
        };
        Ok(Some(SyncSettings {
            provider,
            url,
            credentials,
        }))
    }

    /// The server as messages name it: the address without credentials.
    pub fn server(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_string()
    }

    /// Who is logged in where, for `khabar feeds` and for noticing a change of
    /// account (then the server's ids stored so far mean nothing).
    pub fn account(&self) -> String {
        let who = match &self.credentials {
            Credentials::Token(_) => "token".to_string(),
            Credentials::Password { username, .. } => username.clone(),
        };
        format!("{} {who}@{}", self.provider.name(), self.server())
    }
}

/// Why a login without a token cannot be made, for what the section does hold.
fn missing_username(config: &SyncConfig, provider: Provider) -> &'static str {
    let has_password = !config.password.is_empty()
        || !config.password_file.trim().is_empty()
        || !config.password_command.trim().is_empty();
    match (provider, !config.token.is_empty(), has_password) {
        (_, _, true) => "username is empty (needed with a password)",
        (Provider::GReader, true, false) => {
            "greader logs in with username and password (token is for miniflux): \
             set username and password, password_file or password_command"
        }
        (Provider::GReader, false, false) => {
            "no login: set username and password, password_file or password_command"
        }
        (Provider::Miniflux, _, false) => {
            "no login: set token (an API key from Miniflux's settings), or username and \
             password, password_file or password_command"
        }
    }
}

fn password(config: &SyncConfig) -> Result<Secret, SyncError> {
    if !config.password.is_empty() {
        return Ok(Secret::new(config.password.clone()));
    }
    if !config.password_file.trim().is_empty() {
        let path = expand_home(config.password_file.trim());
        let text = std::fs::read_to_string(&path).map_err(|err| {
            SyncError::Settings(format!(
                "cannot read password_file {}: {err}",
                path.display()
            ))
        })?;
        return Ok(Secret::new(first_line(&text)));
    }
    if !config.password_command.trim().is_empty() {
        return run_password_command(config.password_command.trim());
    }
    if !config.token.is_empty() {
        return Err(SyncError::Settings(
            "token works with provider \"miniflux\" only; give password, password_file or \
             password_command"
                .into(),
        ));
    }
    Err(SyncError::Settings(
        "no secret: give token, password, password_file or password_command".into(),
    ))
}

/// Runs the command once per process; later calls get the same answer.
fn run_password_command(command: &str) -> Result<Secret, SyncError> {
    static CACHE: OnceLock<Mutex<HashMap<String, Secret>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(known) = cache.lock()
        && let Some(secret) = known.get(command)
    {
        return Ok(secret.clone());
    }
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|err| SyncError::Settings(format!("cannot run password_command: {err}")))?;
    if !output.status.success() {
        // The command's output may be the secret: never shown.
        return Err(SyncError::Settings(format!(
            "password_command failed ({})",
            output.status
        )));
    }
    let secret = Secret::new(first_line(&String::from_utf8_lossy(&output.stdout)));
    if secret.expose().is_empty() {
        return Err(SyncError::Settings(
            "password_command printed nothing".into(),
        ));
    }
    if let Ok(mut known) = cache.lock() {
        known.insert(command.to_string(), secret.clone());
    }
    Ok(secret)
}

fn first_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string()
}

fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// A config file with a secret in it that group or others can read: warned once.
#[cfg(unix)]
fn warn_if_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o044 != 0
    {
        static WARNED: OnceLock<()> = OnceLock::new();
        if WARNED.set(()).is_ok() {
            eprintln!(
                "khabar: warning: {} holds the sync password or token and others can read it; \
                 run `chmod 600 {}` or use password_file/password_command",
                path.display(),
                path.display()
            );
        }
        tracing::warn!(path = %path.display(), "config file with a secret is readable by others");
    }
}

#[cfg(not(unix))]
fn warn_if_readable(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(provider: &str) -> SyncConfig {
        SyncConfig {
            provider: provider.into(),
            url: "http://user:pw@127.0.0.1:1/".into(),
            username: "admin".into(),
            password: "hunter2-secret".into(),
            ..SyncConfig::default()
        }
    }

    #[test]
    fn no_provider_means_no_sync() {
        let settings = SyncSettings::from_config(&config(""), Path::new("/nonexistent")).unwrap();
        assert!(settings.is_none());
    }

    #[test]
    fn the_secret_never_shows_in_debug_or_the_server_name() {
        let settings = SyncSettings::from_config(&config("miniflux"), Path::new("/nonexistent"))
            .unwrap()
            .unwrap();
        let shown = format!("{settings:?} {} {}", settings.server(), settings.account());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(":pw@"), "{shown}");
    }

    #[test]
    fn password_command_runs_and_its_first_line_is_the_secret() {
        let mut config = config("greader");
        config.password = String::new();
        config.password_command = "printf 'from-command\\nignored'".into();
        let settings = SyncSettings::from_config(&config, Path::new("/nonexistent"))
            .unwrap()
            .unwrap();
        match settings.credentials {
            Credentials::Password { password, .. } => assert_eq!(password.expose(), "from-command"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_section_without_a_login_says_what_to_set() {
        let bare = |provider: &str| SyncConfig {
            provider: provider.into(),
            url: "http://127.0.0.1:1/".into(),
            ..SyncConfig::default()
        };
        let error = |config: &SyncConfig| {
            SyncSettings::from_config(config, Path::new("/x"))
                .unwrap_err()
                .to_string()
        };
        assert!(error(&bare("miniflux")).contains("no login: set token"));
        assert!(error(&bare("greader")).contains("no login: set username and password"));
        let token_for_greader = SyncConfig {
            token: "t".into(),
            ..bare("greader")
        };
        assert!(error(&token_for_greader).contains("token is for miniflux"));
        let password_alone = SyncConfig {
            password: "p".into(),
            ..bare("miniflux")
        };
        assert!(error(&password_alone).contains("username is empty (needed with a password)"));
    }

    #[test]
    fn an_unknown_provider_is_an_error() {
        let err = SyncSettings::from_config(&config("feedly"), Path::new("/x")).unwrap_err();
        assert!(err.to_string().contains("feedly"), "{err}");
    }
}

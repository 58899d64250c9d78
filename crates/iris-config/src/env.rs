//! What a face reads from its environment about the vault key. Only the faces (desktop, CLI)
//! call this; the core is handed the result, so nothing below the faces reads the environment.

/// Where the vault key comes from, as the environment says: `IRIS_PASSPHRASE` (the passphrase
/// slot), else `IRIS_RECOVERY_KEY` (the recovery slot), else the OS keyring.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    Passphrase(String),
    Recovery(String),
    Keyring,
}

impl std::fmt::Debug for KeySource {
    // Secrets never reach a log through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeySource::Passphrase(_) => "Passphrase(..)",
            KeySource::Recovery(_) => "Recovery(..)",
            KeySource::Keyring => "Keyring",
        })
    }
}

/// The key source named by the process environment.
pub fn key_source() -> KeySource {
    key_source_from(|k| std::env::var(k).ok())
}

/// [`key_source`] over any lookup (tests pass a map instead of mutating the process env).
pub fn key_source_from(var: impl Fn(&str) -> Option<String>) -> KeySource {
    if let Some(p) = var("IRIS_PASSPHRASE") {
        return KeySource::Passphrase(p);
    }
    if let Some(r) = var("IRIS_RECOVERY_KEY") {
        return KeySource::Recovery(r);
    }
    KeySource::Keyring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passphrase_wins_over_the_recovery_key_and_the_keyring_is_the_default() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            key_source_from(env(&[("IRIS_PASSPHRASE", "p"), ("IRIS_RECOVERY_KEY", "r")])),
            KeySource::Passphrase("p".into())
        );
        assert_eq!(
            key_source_from(env(&[("IRIS_RECOVERY_KEY", "r")])),
            KeySource::Recovery("r".into())
        );
        assert_eq!(key_source_from(env(&[])), KeySource::Keyring);
        assert_eq!(
            format!("{:?}", KeySource::Passphrase("secret".into())),
            "Passphrase(..)"
        );
    }
}

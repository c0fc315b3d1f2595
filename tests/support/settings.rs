//! The settings of a fixture, shared by `tests/fixtures.rs` and `tests/split_artifacts.rs` so
//! that both check a fixture under the options its `<fixture stem>.toml` sets.

use std::path::Path;

use dockfix::config::{resolve, ConfigFile, Overrides, Settings};

/// From `<fixture stem>.toml` beside the fixture, else the defaults.
pub fn settings_for(fixture: &Path) -> Settings {
    let config = fixture.with_extension("toml");
    if !config.is_file() {
        return Settings::default();
    }
    let config = ConfigFile::load(&config).unwrap_or_else(|err| panic!("{config:?}: {err}"));
    resolve(Some(&config), &Overrides::default())
        .unwrap()
        .settings
}

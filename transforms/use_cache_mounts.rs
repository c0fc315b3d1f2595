//! DF160 `use-cache-mounts` · Unsafe · off (opt-in) · all stages · no hadolint rule
//!
//! **What it does.** Gives package-manager RUNs BuildKit cache mounts instead of no-cache
//! flags and cleanups, which it removes: `RUN pip install --no-cache-dir -r r.txt` → `RUN
//! --mount=type=cache,target=/root/.cache/pip pip install -r r.txt`.
//!
//! | manager | mount target | removed |
//! |---|---|---|
//! | apt | `/var/cache/apt`, `/var/lib/apt` (`sharing=locked`) | `rm -rf /var/lib/apt/lists/*` (the operand, or the command), `apt-get clean`; once per stage `rm -f /etc/apt/apt.conf.d/docker-clean && echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache && ` goes first (else docker-clean empties the mount) |
//! | pip | `/root/.cache/pip` | `--no-cache-dir` |
//! | npm | `/root/.npm` | `npm cache clean` |
//! | Yarn 1 | `/usr/local/share/.cache/yarn` | `yarn cache clean` |
//!
//! **Why.** Rebuilds reuse downloaded packages (faster, less network) and the caches still stay
//! out of the image.
//!
//! **With the no-cache rules.** When DF160 is selected and unsafe fixes are on, DF102, DF120,
//! DF131 and DF132 leave the RUNs it converts alone (they are cache-covered afterwards);
//! without `--unsafe-fixes` they fix as usual.
//!
//! **Fix safety.** Unsafe: the classic builder rejects `--mount` (BuildKit only; no `# syntax=`
//! line is added, see DF404); the apt step changes `/etc/apt/apt.conf.d` in the image.
//!
//! **Skips** (shown with `--show-skipped`): a non-root USER (the mount needs its uid, gid and
//! home); the RUN already has mounts; a later instruction of the stage names a cache directory
//! or installs `--offline` (`cache-read-later`); a cleanup that is not a plain `&&`/`;` step
//! (`cleanup-layout`); a package manager in `$( )`; the RULES.md §2 gates. Not converted: apk,
//! dnf/yum, gem/bundler, Maven/Gradle, cargo; uv, pnpm, Go and Composer (not yet), pip with
//! `PIP_NO_CACHE_DIR` set, Yarn Berry or an unknown Yarn.

use crate::config::Settings;
use crate::document::{Document, Keyword};
use crate::fix::{Finding, Fix};
use crate::package_caches::mount_plan;

const CODE: &str = "DF160";

pub fn check(document: &Document, _settings: &Settings) -> Vec<Finding> {
    document
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == Keyword::Run)
        .filter_map(|(index, instruction)| {
            let range = instruction.logical.range.clone();
            match mount_plan(document, index) {
                Ok(None) => None,
                Ok(Some(plan)) => {
                    let names: Vec<&str> = plan.managers.iter().map(|m| m.name()).collect();
                    let message = format!(
                        "use BuildKit cache mounts for {} instead of keeping the caches out by hand",
                        names.join(", ")
                    );
                    let fix = Fix::unsafe_because(
                        plan.edits,
                        "`RUN --mount` needs BuildKit (the classic builder rejects it)",
                    )
                    .dropping_commands(&plan.dropped);
                    Some(Finding::new(CODE, range, message).with_fix(fix))
                }
                Err((reason, why)) => Some(Finding::skip(
                    CODE,
                    range,
                    reason,
                    format!("package-manager caches could use cache mounts; {why}"),
                )),
            }
        })
        .collect()
}

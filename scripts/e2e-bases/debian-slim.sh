#!/usr/bin/env bash
# Turns a `debootstrap --variant=minbase bookworm` tree ($1) into what the official
# `debian:bookworm-slim` image holds, the parts dockfix's rules depend on: debuerreotype's
# docker-clean apt hook (base fact `apt-docker-clean`: no .debs or pkgcache left by apt), its
# "slim" dpkg excludes (no docs, man pages, locales), and empty apt lists and caches.
set -euo pipefail
root=$1

cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
cat > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'CONF'
Apt::AutoRemove::SuggestsImportant "false";
CONF

mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
CONF
# What the excludes would have kept out had they been there during debootstrap.
find "$root/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/{groff,info,linda,locale,man}/*
rm -rf "$root"/usr/share/lintian/overrides/*

rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
rm -rf "$root"/var/log/* "$root"/tmp/* "$root"/root/.cache

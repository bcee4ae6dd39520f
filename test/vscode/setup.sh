#!/usr/bin/env bash
# Installs real VS Code for the test harness: code-server 4.100.3 (= VS Code 1.100.3) from npm,
# into .vscode-test/code-server (gitignored). Idempotent: a second run only prints the version.
#
# Needs the Debian packages chromium, ripgrep and libkrb5-dev (installed by .ci/run):
#   - ripgrep: @vscode/ripgrep's postinstall downloads rg from GitHub unless the release asset is
#     already in $TMPDIR/vscode-ripgrep-cache-<version>/, so we pack Debian's rg into that cache.
#   - libkrb5-dev: headers for the native module 'kerberos' that code-server's postinstall builds.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOT="$REPO/.vscode-test"
CS_VERSION=4.100.3            # last code-server whose engines.node is "20"
RG_PKG_VERSION=1.15.11        # @vscode/ripgrep pinned by code-server 4.100.3's lib/vscode
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CS_BIN="$ROOT/code-server/node_modules/.bin/code-server"
# even 'code-server --version' writes config.yaml; keep it out of the user's home
export XDG_CONFIG_HOME="$ROOT/xdg-config" XDG_DATA_HOME="$ROOT/xdg-data"

if [ -x "$CS_BIN" ] && [ -f "$ROOT/code-server/.installed-$CS_VERSION" ]; then
	"$CS_BIN" --version | head -1
	exit 0
fi

for tool in rg node npm; do
	command -v "$tool" >/dev/null || { echo "setup: '$tool' not found (install Debian package ripgrep / nodejs)" >&2; exit 1; }
done
[ -e /usr/include/gssapi/gssapi.h ] || { echo "setup: libkrb5-dev is missing (apt-get install libkrb5-dev)" >&2; exit 1; }

echo "setup: installing code-server@$CS_VERSION into .vscode-test/code-server (takes several minutes)"
rm -rf "$ROOT/code-server" "$ROOT/tmp"
mkdir -p "$ROOT/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION" "$ROOT/code-server"
tar czf "$ROOT/tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/$RG_ASSET" -C "$(dirname "$(command -v rg)")" rg
cd "$ROOT/code-server"
echo '{"name":"code-server-host","private":true}' > package.json
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes=true: node-pty's postinstall runs 'npx node-gyp'; an npmrc with yes=false makes that fail.
TMPDIR="$ROOT/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
	npm install --no-save --no-audit --no-fund "code-server@$CS_VERSION"
rm -rf "$ROOT/tmp"
touch "$ROOT/code-server/.installed-$CS_VERSION"
"$CS_BIN" --version | head -1

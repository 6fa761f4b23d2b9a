#!/usr/bin/env bash
# The official SARIF 2.1.0 schema and Microsoft's SARIF validator, for the
# SARIF tests (tests/ci_formats.rs). Both come from npm packages, unpacked into
# .tools/sarif/ (git-ignored):
#   @microsoft/sarif-multitool-linux  sarif-2.1.0.json and the `Sarif.Multitool validate` binary
#   @microsoft/jest-sarif             sarif-2.1.0-rtm.5.json, the schema GitHub code scanning uses
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.tools/sarif"
MULTITOOL="@microsoft/sarif-multitool-linux@5.7.0"
JEST_SARIF="@microsoft/jest-sarif@1.0.0-beta.0"
WANT="$MULTITOOL $JEST_SARIF"
if [[ -f "$DEST/.pins" && "$(cat "$DEST/.pins")" == "$WANT" ]]; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || {
    echo "fetch-sarif-schema: npm is needed (apt-get install npm)" >&2
    exit 2
}
echo "fetch-sarif-schema: fetching $WANT into $DEST" >&2
rm -rf "$DEST"
mkdir -p "$DEST/pack" "$DEST/multitool" "$DEST/jest-sarif"
(cd "$DEST/pack" && npm pack --silent "$MULTITOOL" "$JEST_SARIF" >/dev/null)
tar -xzf "$DEST"/pack/microsoft-sarif-multitool-linux-*.tgz -C "$DEST/multitool" --strip-components=1
tar -xzf "$DEST"/pack/microsoft-jest-sarif-*.tgz -C "$DEST/jest-sarif" --strip-components=1
cp "$DEST/multitool/sarif-2.1.0.json" "$DEST/sarif-2.1.0.json"
cp "$DEST/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" "$DEST/sarif-2.1.0-rtm.5.json"
chmod +x "$DEST/multitool/Sarif.Multitool"
rm -rf "$DEST/pack"
echo "$WANT" > "$DEST/.pins"

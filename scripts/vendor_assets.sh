#!/usr/bin/env bash
# Copy the front-end files OpenKAM serves from node_modules into openkam/static/vendor.
# They are installed from npm at setup (package-lock.json pins them) and never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=openkam/static/vendor
rm -rf "$dst"
mkdir -p "$dst/tabler" "$dst/tabler-icons/fonts" "$dst/echarts" "$dst/htmx" "$dst/axe"
cp "$src/@tabler/core/dist/css/tabler.min.css" "$src/@tabler/core/dist/css/tabler.min.css.map" "$dst/tabler/"
cp "$src/@tabler/core/dist/js/tabler.min.js" "$src/@tabler/core/dist/js/tabler.min.js.map" "$dst/tabler/"
cp "$src/@tabler/icons-webfont/dist/tabler-icons.min.css" "$dst/tabler-icons/"
cp "$src/@tabler/icons-webfont/dist/fonts/"tabler-icons.woff2 "$dst/tabler-icons/fonts/"
cp "$src/@tabler/icons-webfont/dist/fonts/"tabler-icons.woff "$dst/tabler-icons/fonts/"
cp "$src/@tabler/icons-webfont/dist/fonts/"tabler-icons.ttf "$dst/tabler-icons/fonts/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
# axe-core: the accessibility checks the browser tests run on the main pages (never on a page).
cp "$src/axe-core/axe.min.js" "$dst/axe/"
echo "vendor assets copied to $dst"

#!/usr/bin/env bash
# Builds (once) kube-apiserver, kube-controller-manager and etcd from Go modules into a cache
# folder keyed by versions, and prints that folder. With KUBEBUILDER_ASSETS set to a folder that
# already holds the binaries, prints that folder and builds nothing.
# Progress goes to stderr; stdout carries only the folder, so `export KUBEBUILDER_ASSETS=$(...)` works.
set -euo pipefail

has_bins() { [[ -x "$1/kube-apiserver" && -x "$1/etcd" && -x "$1/kube-controller-manager" ]]; }

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if has_bins "$KUBEBUILDER_ASSETS"; then echo "$KUBEBUILDER_ASSETS"; exit 0; fi
  echo "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks kube-apiserver, kube-controller-manager or etcd; building instead" >&2
fi

K8S_VERSION="${K8S_VERSION:-1.34.4}"   # k8s.io/kubernetes tag without the leading v
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
gover=$("$GO" env GOVERSION); goos=$("$GO" env GOOS); goarch=$("$GO" env GOARCH)
cache="${K8S_TEST_BIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubefedctl-test-bins}"
out="$cache/k8s-v${K8S_VERSION}_etcd-v${ETCD_VERSION}_${gover}_${goos}-${goarch}"

if has_bins "$out"; then echo "$out"; exit 0; fi
mkdir -p "$cache"
exec 9>"$cache/.lock"; flock 9   # one builder at a time; a second caller waits and reuses the result
if has_bins "$out"; then echo "$out"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work" "$out.tmp"' EXIT
stage="v0.${K8S_VERSION#1.}"           # 1.34.4 -> v0.34.4
minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
mkdir -p "$out.tmp"
started=$(date +%s)

# kube-apiserver and kube-controller-manager share one wrapper module. k8s.io/kubernetes requires
# its staging modules at the fake version v0.0.0, so every one is replaced by its v0.X.Y tag,
# derived from upstream's own replace block.
mkdir "$work/k8s"; cd "$work/k8s"
"$GO" mod init example.invalid/k8s-test-bins >&2
upstream=$("$GO" mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
{ grep -E '^godebug ' "$upstream" || true
  echo 'replace ('
  awk -v v="$stage" '$2=="=>" && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }' "$upstream"
  echo ')'; } >> go.mod
"$GO" get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v${K8S_VERSION}" >&2
"$GO" get -tool "k8s.io/kubernetes/cmd/kube-controller-manager@v${K8S_VERSION}" >&2
ld="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $p.gitVersion=v${K8S_VERSION} -X $p.gitMajor=1 -X $p.gitMinor=${minor} -X $p.gitTreeState=clean"
done
"$GO" build -trimpath -ldflags "$ld" -o "$out.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver >&2
echo "kube-apiserver built after $(( $(date +%s) - started ))s" >&2
"$GO" build -trimpath -ldflags "$ld" -o "$out.tmp/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager >&2
echo "kube-controller-manager built after $(( $(date +%s) - started ))s" >&2

# etcd in a module of its own, so its newer dependencies cannot move kube-apiserver's versions.
mkdir "$work/etcd"; cd "$work/etcd"
"$GO" mod init example.invalid/etcd-test-bin >&2
"$GO" get -tool "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}" >&2
"$GO" build -trimpath -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3 >&2
echo "etcd built after $(( $(date +%s) - started ))s" >&2

"$out.tmp/kube-apiserver" --version >&2
"$out.tmp/etcd" --version >&2
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$out"

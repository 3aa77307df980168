#!/usr/bin/env bash
# Roll a new image out to the production cluster, one instance at a time, and wait until
# every instance answers its health check on the new version.
set -euo pipefail

service="$1"
sha="$2"
api="${ROLLOUT_API:-https://deploy.acme.example}"

curl --fail --silent --show-error \
  -H "Authorization: Bearer ${ROLLOUT_TOKEN}" \
  -X POST "${api}/services/${service}/rollouts" \
  -d "{\"image\":\"registry.acme.example/${service}:${sha}\",\"strategy\":\"one-at-a-time\"}"

for _ in $(seq 1 60); do
  state=$(curl --fail --silent -H "Authorization: Bearer ${ROLLOUT_TOKEN}" \
    "${api}/services/${service}/rollouts/latest" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
  case "$state" in
    succeeded) echo "rolled out ${sha}"; exit 0 ;;
    failed) echo "rollout failed" >&2; exit 1 ;;
  esac
  sleep 10
done
echo "rollout timed out" >&2
exit 1

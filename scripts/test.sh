#!/bin/sh
# The project's test command (README "Run the tests"; .ci/run calls it).
# It installs and starts what the integration tests need (Dovecot from
# Debian's packages, the machine's PostgreSQL server), then runs the whole
# suite with the race detector. Without root or apt the service tests skip
# with a message and everything else still runs.
set -eu
cd "$(dirname "$0")/.."

if ! ./scripts/services.sh start; then
	echo "test.sh: some test services did not start; their tests will be skipped" >&2
fi
# env prints only the services that are running.
eval "$(./scripts/services.sh env)"

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
	echo "test.sh: not gofmt'd:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -timeout 20m ./...
# Deadlines must not depend on the process's own time zone.
for tz in UTC America/New_York Asia/Shanghai; do
	TZ=$tz go test -count=1 ./tickets/calendar/ ./config/
	TZ=$tz go test -count=1 -run 'SLA|Deadline|Recategorize|Pending|Scheduler|CLIContracts' ./tickets/ ./cmd/helpdesk/
done

#!/bin/sh
# eligibility.sh: spaces-eligibility against jq on the same NDJSON stream.
# Peer task: jq reads every record and selects the Spaces in the window,
# the least work any eligibility check must do.

gen() {
	# A user, N Spaces over ten years, then N/4 planned occurrences.
	awk -v n="$1" 'BEGIN {
		print "{\"type\":\"user\",\"id\":\"111\",\"followers_count\":6210,\"location\":\"Austin, TX\",\"birth_date\":\"1990-01-01\",\"source\":\"archive\"}"
		for (i = 0; i < n; i++) {
			t = 1478000000 + int(i * (315360000 / n))
			printf "{\"type\":\"space\",\"id\":\"s%d\",\"state\":\"ended\",\"creator_id\":\"111\",\"host_ids\":[\"111\"],\"created_at\":\"%s\",\"participant_count\":%d,\"source\":\"archive\"}\n", i, strftime("%Y-%m-%dT%H:%M:%S.000Z", t, 1), i % 500
		}
		for (i = 0; i < n / 4; i++) {
			t = 1795651200 + int(i * (7862400 / (n / 4)))
			printf "{\"type\":\"occurrence\",\"uid\":\"o%d\",\"start\":\"%s\",\"source\":\"schedule\"}\n", i, strftime("%Y-%m-%dT%H:%M:%S.000Z", t, 1)
		}
	}'
}

gen 200000 >"$bench_tmp/facts.ndjson"
row "eligibility: 250k records" \
    "spaces-eligibility --as-of 2026-11-21 $bench_tmp/facts.ndjson" \
    "jq -c 'select(.type == \"space\" and .created_at >= \"2026-10-19\")' $bench_tmp/facts.ndjson"
row "start-up: --version x100" \
    'i=0; while [ $i -lt 100 ]; do spaces-eligibility --version; i=$((i+1)); done' \
    'i=0; while [ $i -lt 100 ]; do jq --version; i=$((i+1)); done'

/** The text of `tidewire-conformance --help`. */
export const CLI_HELP = `Usage: tidewire-conformance [options]
       npm run conformance -- [options]
       tidewire-conformance report <report.json>... [--html F] [--junit F] [--json F]
                                (several runs side by side; see report --help)

Checks a Tidewire server against the protocol, requirement by requirement. Without --url it starts the
bundled reference server in-process (short timers) and checks that.

Target
  --url <ws://host:port>        server to check (ws://, wss://, or http:// and https:// for the same);
                                a path prefix and a query string (?key=…) are kept on every request.
                                Give it once per instance to check a deployment of several (cluster
                                mode): every check runs against the first, the cluster checks (CLU)
                                against all
  --token <jwt>                 token to present (env TIDEWIRE_TOKEN)
  --token-secret <secret>       mint HS256 tokens (sub = user) for any user and lifetime
                                (env TIDEWIRE_TOKEN_SECRET); needed by the auth and scope checks
  --user <id>                   the run's user (default 1)
  --param <key=value>           run parameter, repeatable. With defaults: userId (--user),
                                campaignId (1), conversationId (1), unknownCampaignId (999999999),
                                unknownConversationId (unknownCampaignId). Without: foreignCampaignId,
                                foreignConversationId (another user's campaign / conversation, for
                                SEC-002), otherUser (that user, for AUTH-008 and RES-004)
  --require <families>          families the server must offer whole, every profile of each
                                (campaign,chat,market); a missing one adds a failing REQUIRE-<FAMILY>
  --binding <name>              websocket | socket.io: the binding to check (default: what the server
                                speaks; checks of another binding are not run)
  --header <'Name: value'>      header sent with every request, repeatable (e.g. a gateway's key)
  --ca <file>                   PEM certificate(s) to trust for wss:// (a private CA, a self-signed server)
  --insecure                    accept any TLS certificate

Selection
  --only <selectors>            run only these; repeatable or comma lists of requirement IDs (HB-003),
                                areas (heartbeat), families (market) or ID prefixes (HB)
  --skip <selectors>            leave these out (same forms)
  --list                        print the selected checks and exit; connects to nothing
                                (as JSON with --reporter json)

Timing
  --timers <name=ms,…>          timers of a server that advertises none in connection_established,
                                repeatable: heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs,
                                maxMessageBytes, rateLimit.maxMessages, rateLimit.windowMs (e.g.
                                --timers heartbeatIntervalMs=30000,heartbeatTimeoutMs=10000); what the
                                server advertises wins, and without either the protocol defaults apply
  --timeout-scale <n>           multiply every wait (default 1)
  --max-wait-ms <ms>            skip checks that need longer than this (default 120000; RES-009 waits
                                out the resume window, 120000 by default, so raise it to run that)
  --quick-heartbeat             watch one ping of each kind: with production timers (30 s, 10 s) the
                                heartbeat checks take about one interval plus the timeout (~50 s)
                                instead of about three intervals plus the timeout (~110 s), but the
                                spacing of pings is not measured and HB-007 leaves one application
                                ping unanswered instead of three; the verdicts say so
  --concurrency <n>             checks running at once (default 16)
  --repeat <n>                  run every check n times (flake hunting); the report ends with a
                                flake table, one row per check: passed k/n

Verdict
  --strict                      SHOULD failures fail the run (otherwise they warn)
  --expected-failures <file>    baseline: one requirement ID per line, # comments; listed failures are
                                reported but do not fail the run, listed checks that pass are reported,
                                unknown IDs are warned about

Reports
  --reporter <name>[=<file>]    pretty | json | junit | html, repeatable or comma list; without a file
                                the report goes to stdout (at most one reporter may). Examples:
                                  --reporter json=report.json --reporter junit=junit.xml
                                  --reporter json --output report.json   (--output sets the file of the
                                                                          --reporter just before it)
                                When no reporter writes to stdout, pretty does.
  --output <file>               file of the preceding --reporter
  --verbose                     pretty: show every check's frame log, not only failures'
  --docs-base <url>             where requirement links point: <url>#HB-003 (default: the protocol
                                page inside the installed package, as a file:// URL; give a published
                                copy for reports opened on other machines)
                                NO_COLOR=1 turns colours off (they are off when stdout is not a terminal)
                                Progress goes to stdout under the pretty report, else to stderr; not on
                                a terminal it names the checks still running every 10 s

Other
  --client-mode                 check a client's reconnect rules instead of a server
                                (see --client-mode --help)
  --config <file>               JSON file with the same options in camelCase (e.g. "timeoutScale": 2,
                                "reporter": ["junit=junit.xml"], "params": {"campaignId": "7"},
                                "expectedFailures": "baseline.txt" or ["HB-006"]);
                                default ./tidewire.config.json when it exists. Command-line options win;
                                paths in the file are relative to its folder.
  -h, --help                    this text
  -V, --version                 the version

Before the checks a preflight diagnoses the target. A setup problem ends the run with one line and
status 2: nothing listening, ws:// to a TLS port or wss:// to a plain one, an untrusted certificate, no
WebSocket endpoint, the run's token refused on every endpoint, a Socket.IO server when the WebSocket
binding is checked. A protocol-level problem (no connection_established, say) is reported once at the top
as a root cause, and the checks that need what it lacks are "blocked" by the check that judges it.

Exit status: 0 every gating check passed, 1 a MUST (or with --strict a SHOULD) check failed or a check
was blocked by one that did not run, 2 usage or setup error, unreachable server, or a check that could
not be run, 130 / 143 interrupted by SIGINT (Ctrl-C) / SIGTERM: running checks end as cancelled, the
reports are written with that exit code (a second signal quits at once).
`;

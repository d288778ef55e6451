# The field rules of KCIDB's I/O schema v5.3 that a submission must keep,
# written from the schema's documentation (kcidb-io, kcidb_io/schema/v05_03.py):
# prints one line per violation, nothing when the document is valid.
def origin_re: "^[a-z0-9_]+$";
def id_re: "^[a-z0-9_]+:.*$";
def path_re: "^([A-Za-z0-9_-]+([.][A-Za-z0-9_-]+)*)?$";
def datetime_re: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";
def statuses: ["FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"];
def allowed($what; $names): (keys - $names)[] | "\($what): property \(.) is not in the schema";
def required($what; $names): $names[] as $k | select(has($k) | not) | "\($what): \($k) is required";
def str($what; $k; $re): select(has($k)) | .[$k] |
  if type != "string" then "\($what): \($k) is not a string"
  elif test($re) | not then "\($what): \($k) '\(.)' does not match \($re)" else empty end;
def num($what; $k): select(has($k) and (.[$k] | type) != "number") | "\($what): \($k) is not a number";
def obj($what; $k): select(has($k) and (.[$k] | type) != "object") | "\($what): \($k) is not an object";
def nonul($what; $k): select(has($k) and (.[$k] | type) == "string" and (.[$k] | explode | any(. == 0))) | "\($what): \($k) holds NUL";
def excerpt($what): select(has("log_excerpt") and (.log_excerpt | utf8bytelength) > 16384) | "\($what): log_excerpt is longer than 16384";

(if type != "object" then "the document is not an object" else empty end),
allowed("document"; ["version", "checkouts", "builds", "tests", "issues", "incidents"]),
required("document"; ["version"]),
(.version | allowed("version"; ["major", "minor"]), required("version"; ["major"]),
  (select(.major != 5) | "version: major is not 5"),
  (select(has("minor") and ((.minor | type) != "number" or .minor < 0 or .minor > 3 or .minor != (.minor | floor))) | "version: minor is not an integer from 0 to 3")),
([paths(. == null)] | select(length > 0) | "no property can be null: \(.[0] | map(tostring) | join("."))"),
(.checkouts // [] | to_entries[] | "checkout \(.key)" as $w | .value |
  allowed($w; ["_timestamp", "id", "origin", "tree_name", "git_repository_url", "git_commit_hash",
    "git_commit_name", "git_commit_tags", "git_commit_message", "git_repository_branch",
    "git_repository_branch_tip", "patchset_files", "patchset_hash", "message_id", "comment",
    "start_time", "origin_builds_finish_time", "origin_tests_finish_time", "log_url", "log_excerpt",
    "valid", "misc"]),
  required($w; ["id", "origin"]), str($w; "id"; id_re), str($w; "origin"; origin_re),
  str($w; "start_time"; datetime_re), nonul($w; "comment"), obj($w; "misc"), excerpt($w)),
(.builds // [] | to_entries[] | "build \(.key)" as $w | .value |
  allowed($w; ["_timestamp", "checkout_id", "id", "origin", "comment", "start_time", "duration",
    "architecture", "command", "compiler", "input_files", "output_files", "config_name",
    "config_url", "log_url", "log_excerpt", "status", "misc"]),
  required($w; ["checkout_id", "id", "origin"]), str($w; "id"; id_re), str($w; "checkout_id"; id_re),
  str($w; "origin"; origin_re), str($w; "start_time"; datetime_re), str($w; "architecture"; "^[a-z0-9_]*$"),
  num($w; "duration"), nonul($w; "comment"), obj($w; "misc"), excerpt($w),
  (select(has("status") and ([.status] | inside(statuses) | not)) | "\($w): status \(.status) is not one of \(statuses)")),
(.tests // [] | to_entries[] | "test \(.key)" as $w | .value |
  allowed($w; ["_timestamp", "build_id", "id", "origin", "environment", "path", "comment", "log_url",
    "log_excerpt", "status", "number", "start_time", "duration", "input_files", "output_files", "misc"]),
  required($w; ["build_id", "id", "origin"]), str($w; "id"; id_re), str($w; "build_id"; id_re),
  str($w; "origin"; origin_re), str($w; "path"; path_re), str($w; "start_time"; datetime_re),
  num($w; "duration"), nonul($w; "comment"), obj($w; "misc"), excerpt($w),
  (select(has("status") and ([.status] | inside(statuses) | not)) | "\($w): status \(.status) is not one of \(statuses)"),
  (select(has("environment")) | .environment | allowed("\($w) environment"; ["compatible", "comment", "misc"]),
    obj("\($w) environment"; "misc"))),
# Ids are unique per kind, and every link points at an object of the submission.
(.checkouts // [] | map(.id) | group_by(.)[] | select(length > 1) | "checkout id \(.[0]) is not unique"),
(.builds // [] | map(.id) | group_by(.)[] | select(length > 1) | "build id \(.[0]) is not unique"),
(.tests // [] | map(.id) | group_by(.)[] | select(length > 1) | "test id \(.[0]) is not unique"),
((.checkouts // [] | map(.id)) as $c | .builds // [] | .[] | select([.checkout_id] | inside($c) | not) | "build \(.id): no checkout \(.checkout_id)"),
((.builds // [] | map(.id)) as $b | .tests // [] | .[] | select([.build_id] | inside($b) | not) | "test \(.id): no build \(.build_id)")

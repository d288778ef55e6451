# The rules of SQUAD's submit API (doc/api.rst of Linaro's squad, "Submitting
# results" and "Input file formats") for each submission of ipcconf's squad
# document: prints one line per violation, nothing when all are valid.
def name_re: "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$";
(if (.submissions | type) != "array" then "submissions is not an array" else empty end),
(.submissions[] | "submission \(.environment)" as $w |
  (select((keys - ["environment", "tests", "metrics", "metadata"]) | length > 0) | "\($w): unknown keys \(keys)"),
  (select(.environment | type != "string" or (test(name_re) | not)) | "\($w): the environment does not match \(name_re)"),
  # tests: an object of "suite/test": "pass" | "fail" | "skip", no slash in the test's name.
  (.tests | if type != "object" then "\($w): tests is not an object" else
    (to_entries[] |
      (select(.value | IN("pass", "fail", "skip") | not) | "\($w): test \(.key) is '\(.value)', not pass, fail or skip"),
      (select(.key | test("^[^/]+/[^/]+$") | not) | "\($w): test name \(.key) is not SUITE/TEST"))
    end),
  # metrics: an object of numbers or arrays of numbers.
  (.metrics | if type != "object" then "\($w): metrics is not an object" else
    (to_entries[] | select((.value | type) != "number" and ((.value | type) != "array" or any(.value[]; type != "number")))
      | "\($w): metric \(.key) is not a number or an array of numbers")
    end),
  # metadata: an object of strings; suite_versions an object of strings; datetime ISO 8601 with seconds.
  (.metadata | if type != "object" then "\($w): metadata is not an object" else
    (to_entries[] | select(.key != "suite_versions" and (.value | type) != "string") | "\($w): metadata \(.key) is not a string"),
    (select(has("suite_versions") and (.suite_versions | type != "object" or any(.[]; type != "string"))) | "\($w): suite_versions is not an object of strings"),
    (select(has("datetime") and (.datetime | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}") | not)) | "\($w): datetime is not ISO 8601 with seconds")
    end))

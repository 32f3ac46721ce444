# Issue 13 points 8 and 10: a tool's results folder (requests plus its summary) ended with exit 3
# ("not a recognised format" / "only aggregate statistics"); summary files alone were errors. Now a
# summary is read as such; a summary of which nothing can be read, e.g. AIPerf's CSV of a run with
# only the headers of its sections, is still an error naming the file.
run="$PHASELINE_TEST_DATA/aiperf/artifacts/llama-3.2-3b-instruct-gguf_q4_k_m-openai-chat-concurrency1"
run_phaseline --stats "$run"
expect_status 0
expect_stdout 'requests: 20'
expect_stdout 'summaries \(as reported by the tool, not recomputed\)'
expect_no_stderr 'error'

printf 'Metric,avg,min,max,p50,p99,std\r\n\r\nMetric,Value\r\n' >headers_only.csv
run_phaseline --stats headers_only.csv
expect_status 3
expect_stderr 'headers_only\.csv: error: .*none of them could be read'

mkdir llmperf
cp "$PHASELINE_TEST_DATA/llmperf/llmperf-leaderboard_raw_data_summary_groq_70b.json" llmperf/m_550_150_summary.json
head -c 700 "$PHASELINE_TEST_DATA/llmperf/llmperf-leaderboard_groq_70b_individual_responses.json" \
    >llmperf/m_550_150_individual_responses.json
run_phaseline --stats llmperf
expect_status 4 # the cut responses file is partial, the summary still read
expect_stdout 'llmperf summary of'

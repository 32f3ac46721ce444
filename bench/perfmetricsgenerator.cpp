#include "perfmetricsgenerator.h"

#include <QFile>

#include <cstdio>
#include <random>
#include <string>

namespace Phaseline::Bench {

namespace {

struct Side
{
    double serverArrival, arrival, firstScheduled, firstToken, serverFirstToken, lastToken;
    double kvStart = 0, kvEnd = 0;
    long long kvSize = 0;
    int firstIter, lastIter, blocks, reused;
};

class Writer
{
public:
    explicit Writer(bool compact) : m_compact(compact) {}
    void open(char c) { text += c; ++m_depth; m_first = true; }
    void close(char c)
    {
        --m_depth;
        newline();
        text += c;
        m_first = false;
    }
    void key(const char *name)
    {
        if (!m_first)
            text += ',';
        m_first = false;
        newline();
        text += '"';
        text += name;
        text += m_compact ? "\":" : "\": ";
    }
    void number(double v)
    {
        char buffer[32];
        text.append(buffer, size_t(std::snprintf(buffer, sizeof buffer, "%.6f", v)));
    }
    void integer(long long v) { text += std::to_string(v); }
    void string(const std::string &v) { text += '"' + v + '"'; }
    void element()
    {
        if (!m_first)
            text += ',';
        m_first = false;
        newline();
    }
    std::string text;

private:
    void newline()
    {
        if (m_compact)
            return;
        text += '\n';
        text.append(size_t(m_depth) * 2, ' ');
    }
    bool m_compact;
    int m_depth = 0;
    bool m_first = true;
};

void writeWorker(Writer &w, int requestId, const Side &s, long long ctxRequestId)
{
    w.open('{');
    w.key("request_id");
    w.integer(requestId);
    w.key("perf_metrics");
    w.open('{');
    w.key("first_iter");
    w.integer(s.firstIter);
    w.key("last_iter");
    w.integer(s.lastIter);
    w.key("timing_metrics");
    w.open('{');
    w.key("server_arrival_time");
    w.number(s.serverArrival);
    w.key("arrival_time");
    w.number(s.arrival);
    w.key("first_scheduled_time");
    w.number(s.firstScheduled);
    w.key("first_token_time");
    w.number(s.firstToken);
    w.key("server_first_token_time");
    w.number(s.serverFirstToken);
    w.key("last_token_time");
    w.number(s.lastToken);
    if (s.kvSize > 0) {
        w.key("kv_cache_size");
        w.integer(s.kvSize);
        w.key("kv_cache_transfer_start");
        w.number(s.kvStart);
        w.key("kv_cache_transfer_end");
        w.number(s.kvEnd);
    }
    w.close('}');
    w.key("kv_cache_metrics");
    w.open('{');
    w.key("num_total_allocated_blocks");
    w.integer(s.blocks);
    w.key("num_new_allocated_blocks");
    w.integer(s.blocks - s.reused);
    w.key("num_reused_blocks");
    w.integer(s.reused);
    w.key("num_missed_blocks");
    w.integer(s.blocks - s.reused);
    w.close('}');
    w.close('}');
    if (ctxRequestId >= 0) {
        w.key("ctx_request_id");
        w.integer(ctxRequestId);
    }
    w.close('}');
}

} // namespace

qint64 writePerfMetrics(const QString &path, Shape shape, int requests, unsigned seed)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return -1;
    std::mt19937_64 random(seed);
    std::exponential_distribution<double> interArrival(50.0); // 50 requests/s
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::lognormal_distribution<double> prefill(std::log(0.055), 0.15);
    std::lognormal_distribution<double> decode(std::log(1.2), 0.25);

    const bool jsonl = shape == Shape::AggregatedJsonl;
    const bool disagg = shape == Shape::DisaggregatedArray;
    double clock = 1946966.0;
    int iteration = 600;
    Writer w(jsonl);
    if (!jsonl)
        w.open('[');
    for (int i = 0; i < requests; ++i) {
        clock += interArrival(random);
        iteration += 3;
        auto makeSide = [&](double serverArrival, bool contextOnly) {
            Side s;
            s.serverArrival = serverArrival;
            s.arrival = s.serverArrival + 0.002 + 0.002 * unit(random);
            s.firstScheduled = s.arrival + (unit(random) < 0.1 ? 0.03 * unit(random) : 0.003 * unit(random));
            s.firstToken = s.firstScheduled + (contextOnly || !disagg ? prefill(random) : 0.010);
            s.serverFirstToken = s.firstToken + 0.001 + 0.001 * unit(random);
            s.lastToken = contextOnly ? s.firstToken : s.firstToken + decode(random);
            s.firstIter = iteration;
            s.lastIter = iteration + (contextOnly ? 0 : 128);
            s.blocks = 32 + int(8 * unit(random));
            s.reused = unit(random) < 0.3 ? 16 : 0;
            return s;
        };
        if (jsonl)
            w.text.clear();
        else
            w.element();
        if (!disagg) {
            writeWorker(w, i, makeSide(clock, false), -1);
        } else {
            const double disaggArrival = clock;
            const Side ctx = makeSide(disaggArrival + 0.0012, true);
            Side gen = makeSide(ctx.serverFirstToken + 0.0015, false);
            gen.kvSize = 131072000 + (long long)(8 * 1048576 * unit(random));
            gen.kvStart = gen.arrival + 0.0005;
            gen.kvEnd = gen.kvStart + 0.005;
            gen.firstScheduled = std::max(gen.firstScheduled, gen.kvEnd + 0.001);
            gen.firstToken = gen.firstScheduled + 0.010;
            gen.serverFirstToken = gen.firstToken + 0.001;
            w.open('{');
            w.key("ctx_server");
            w.string("http://ctx-node" + std::to_string(i % 2) + ":8001");
            w.key("gen_server");
            w.string("http://gen-node" + std::to_string(i % 2) + ":8002");
            w.key("disagg_server_arrival_time");
            w.number(disaggArrival);
            w.key("disagg_server_first_token_time");
            w.number(gen.serverFirstToken + 0.0007);
            w.key("ctx_perf_metrics");
            writeWorker(w, i / 2, ctx, 1000 + i);
            w.key("gen_perf_metrics");
            writeWorker(w, i / 2, gen, 1000 + i);
            w.close('}');
        }
        if (jsonl) {
            w.text += '\n';
            file.write(w.text.data(), qint64(w.text.size()));
        } else if (w.text.size() > (1 << 20)) {
            file.write(w.text.data(), qint64(w.text.size()));
            w.text.clear();
        }
    }
    if (!jsonl) {
        w.close(']');
        w.text += '\n';
        file.write(w.text.data(), qint64(w.text.size()));
    }
    file.close();
    return file.error() == QFileDevice::NoError ? file.size() : -1;
}

} // namespace Phaseline::Bench

#include "perfmetricsgenerator.h"

#include <QDir>
#include <QFile>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

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

void writeTiming(Writer &w, const Side &s)
{
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
}

// disaggRequestId >= 0 writes the JSONL era's join key and status after the record.
void writeWorker(Writer &w, int requestId, const Side &s, long long ctxRequestId, long long disaggRequestId = -1)
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
    writeTiming(w, s);
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
    if (disaggRequestId >= 0) {
        w.key("status");
        w.string("complete");
        w.key("disagg_request_id");
        w.integer(disaggRequestId);
    }
    w.close('}');
}

// One compact JSONL output file, written in blocks of about a megabyte.
class LineFile
{
public:
    explicit LineFile(const QString &path) : m_file(path), m_writer(true)
    {
        m_ok = m_file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    }
    Writer &writer() { return m_writer; }
    void endLine()
    {
        m_writer.text += '\n';
        if (m_writer.text.size() > (1 << 20))
            flush();
    }
    // The bytes written, or -1 on an I/O error.
    qint64 close()
    {
        flush();
        m_file.close();
        return m_ok && m_file.error() == QFileDevice::NoError ? m_file.size() : -1;
    }

private:
    void flush()
    {
        m_ok = m_ok && m_file.write(m_writer.text.data(), qint64(m_writer.text.size())) == qint64(m_writer.text.size());
        m_writer.text.clear();
    }
    QFile m_file;
    Writer m_writer;
    bool m_ok = false;
};

} // namespace

qint64 writePerfMetrics(const QString &path, Shape shape, int requests, unsigned seed)
{
    const bool directory = shape == Shape::DisaggregatedJsonlDirectory;
    if (directory && !QDir().mkpath(path))
        return -1;
    std::unique_ptr<QFile> file;
    if (!directory) {
        file = std::make_unique<QFile>(path);
        if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate))
            return -1;
    }
    // The directory's files, named as TensorRT-LLM names them (the worker's host becomes its server label).
    std::vector<std::unique_ptr<LineFile>> lineFiles;
    if (directory) {
        for (const char *name : {"disagg-router0-7000", "server-ctx-node0-9100", "server-ctx-node1-9101",
                                 "server-gen-node0-9200", "server-gen-node1-9201"}) {
            lineFiles.push_back(std::make_unique<LineFile>(
                QDir(path).filePath(QStringLiteral("perf_metrics-%1-20260901T000000Z.jsonl").arg(QLatin1String(name)))));
        }
    }
    std::mt19937_64 random(seed);
    std::exponential_distribution<double> interArrival(50.0); // 50 requests/s
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::lognormal_distribution<double> prefill(std::log(0.055), 0.15);
    std::lognormal_distribution<double> decode(std::log(1.2), 0.25);

    const bool jsonl = shape == Shape::AggregatedJsonl;
    const bool disagg = shape == Shape::DisaggregatedArray || directory;
    double clock = 1946966.0;
    int iteration = 600;
    Writer w(jsonl);
    if (!jsonl && !directory)
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
        else if (!directory)
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
            const std::string ctxServer = "http://ctx-node" + std::to_string(i % 2) + ":8001";
            const std::string genServer = "http://gen-node" + std::to_string(i % 2) + ":8002";
            if (directory) {
                Writer &router = lineFiles[0]->writer();
                router.open('{');
                router.key("ctx_server");
                router.string(ctxServer);
                router.key("gen_server");
                router.string(genServer);
                router.key("disagg_server_arrival_time");
                router.number(disaggArrival);
                router.key("disagg_ctx_dispatch_time");
                router.number(disaggArrival + 0.0004);
                router.key("disagg_server_first_token_time");
                router.number(gen.serverFirstToken + 0.0007);
                router.key("status");
                router.string("complete");
                router.key("disagg_request_id");
                router.integer(i);
                // The workers' parts as the disagg server rebuilds them from response headers.
                for (const auto &[key, side] : {std::pair<const char *, const Side *>{"ctx_perf_metrics", &ctx},
                                                {"gen_perf_metrics", &gen}}) {
                    router.key(key);
                    router.open('{');
                    router.key("request_id");
                    router.integer(i / 2);
                    router.key("perf_metrics");
                    router.open('{');
                    writeTiming(router, *side);
                    router.close('}');
                    router.key("ctx_request_id");
                    router.integer(1000 + i);
                    router.close('}');
                }
                router.close('}');
                lineFiles[0]->endLine();
                LineFile &ctxFile = *lineFiles[size_t(1 + i % 2)];
                writeWorker(ctxFile.writer(), i / 2, ctx, 1000 + i, i);
                ctxFile.endLine();
                LineFile &genFile = *lineFiles[size_t(3 + i % 2)];
                writeWorker(genFile.writer(), i / 2, gen, 1000 + i, i);
                genFile.endLine();
                continue;
            }
            w.open('{');
            w.key("ctx_server");
            w.string(ctxServer);
            w.key("gen_server");
            w.string(genServer);
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
            file->write(w.text.data(), qint64(w.text.size()));
        } else if (w.text.size() > (1 << 20)) {
            file->write(w.text.data(), qint64(w.text.size()));
            w.text.clear();
        }
    }
    if (directory) {
        qint64 total = 0;
        for (auto &lineFile : lineFiles) {
            const qint64 bytes = lineFile->close();
            if (bytes < 0)
                return -1;
            total += bytes;
        }
        return total;
    }
    if (!jsonl) {
        w.close(']');
        w.text += '\n';
        file->write(w.text.data(), qint64(w.text.size()));
    }
    file->close();
    return file->error() == QFileDevice::NoError ? file->size() : -1;
}

} // namespace Phaseline::Bench

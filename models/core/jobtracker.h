#pragma once

#include "core/backgroundpool.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>
#include <memory>

namespace Phaseline {

// Inputs larger than this (rows of a table or of a subset) are processed by a background job;
// smaller ones at once, on the calling thread: a job's round trip costs more than they do.
constexpr int kBackgroundRows = 20000;

// Tests only: when set, every job calls it on its worker thread before its work, so that a test
// can hold a job at a known point (e.g. to show that replacing a table does not wait for it).
inline std::atomic<void (*)()> jobStartHookForTests{nullptr};

// What a worker sees of its job: its id, and whether it has been superseded (a newer job of
// the same tracker started, or the tracker discarded it). Long work polls isCanceled() and
// returns early; its result would be dropped anyway.
class JobToken
{
public:
    JobToken(std::shared_ptr<const std::atomic<quint64>> latest, quint64 id) : m_latest(std::move(latest)), m_id(id) {}
    quint64 id() const { return m_id; }
    bool isCanceled() const { return m_latest->load(std::memory_order_relaxed) != m_id; }

private:
    std::shared_ptr<const std::atomic<quint64>> m_latest;
    quint64 m_id;
};

// One kind of background work of one owner (a view's model build, a load). start() runs a
// function on backgroundPool(); its result reaches `deliver`, by value, on the thread that made
// the tracker, if and only if the job is still the latest one (job id) when it arrives. Nothing
// ever waits for a worker: a superseded job finishes against the data it captured (a table
// snapshot, a copy of its inputs) and its result is dropped. Destroying the tracker drops every
// job in flight.
template <typename Result>
class JobTracker
{
public:
    explicit JobTracker(std::function<void(Result)> deliver) : m_deliver(std::move(deliver)) {}
    JobTracker(const JobTracker &) = delete;
    JobTracker &operator=(const JobTracker &) = delete;

    // Starts `work` on the background pool and supersedes every job started before. A job still
    // queued when it is superseded never runs.
    quint64 start(std::function<Result(const JobToken &)> work)
    {
        const quint64 id = m_latest->fetch_add(1) + 1;
        auto *watcher = new QFutureWatcher<Result>(&m_context);
        m_current = watcher;
        QObject::connect(watcher, &QFutureWatcherBase::finished, &m_context, [this, watcher, id] {
            watcher->deleteLater();
            if (id == m_latest->load())
                deliver(watcher);
        });
        JobToken token(m_latest, id);
        watcher->setFuture(QtConcurrent::run(backgroundPool(), [token, work = std::move(work)] {
            if (void (*hook)() = jobStartHookForTests.load())
                hook();
            return token.isCanceled() ? Result() : work(token);
        }));
        return id;
    }

    // The jobs in flight are superseded: none of their results will be delivered.
    void discard()
    {
        m_latest->fetch_add(1);
        m_current = nullptr;
    }

    // A job whose result will be delivered is in flight.
    bool isBusy() const { return m_current != nullptr; }

    // Blocks until the latest job is done and delivers its result now. Only for callers that
    // must have the result before they go on (an export, a test); never on a table change.
    void finishNow()
    {
        if (m_current)
            deliver(m_current);
    }

private:
    void deliver(QFutureWatcher<Result> *watcher)
    {
        watcher->waitForFinished();
        m_latest->fetch_add(1); // delivered once: its finished() signal, if still to come, is stale
        m_current = nullptr;
        m_deliver(watcher->future().takeResult());
    }

    std::function<void(Result)> m_deliver;
    std::shared_ptr<std::atomic<quint64>> m_latest = std::make_shared<std::atomic<quint64>>(0);
    QFutureWatcher<Result> *m_current = nullptr;
    // Parent and context of the watchers: they go with the tracker, and with them any delivery.
    QObject m_context;
};

} // namespace Phaseline

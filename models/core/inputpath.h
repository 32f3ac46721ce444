#pragma once

#include <QString>

namespace Phaseline {

// What a path names once symbolic links are followed, and in plain words why it cannot be
// opened as an input when it cannot: a named pipe would block the loader forever, a link loop
// is not "missing", and an unreadable file is not "empty".
struct InputPath
{
    enum Kind { RegularFile, Directory, Unusable };

    Kind kind = Unusable;
    QString problem; // for Unusable, e.g. "a named pipe (FIFO), not a regular file"
};

InputPath probeInputPath(const QString &path);

// The reason of a failed system call on `path` (errno), naming symbolic-link loops as such.
QString describeSystemError(int error);

} // namespace Phaseline

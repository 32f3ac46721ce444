#include "core/inputpath.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace Phaseline {

QString describeSystemError(int error)
{
    switch (error) {
    case ENOENT: return QStringLiteral("no such file or directory");
    case ELOOP: return QStringLiteral("a symbolic link loop (too many levels of symbolic links)");
    case EACCES: return QStringLiteral("permission denied");
    default: return QString::fromLocal8Bit(std::strerror(error));
    }
}

InputPath probeInputPath(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat info {};
    if (stat(native.constData(), &info) != 0) {
        const int error = errno;
        struct stat link {};
        if (error == ENOENT && lstat(native.constData(), &link) == 0 && S_ISLNK(link.st_mode)) {
            return {InputPath::Unusable, QStringLiteral("a dangling symbolic link (to \"%1\", which does not exist)")
                                             .arg(QFile::symLinkTarget(path))};
        }
        return {InputPath::Unusable, describeSystemError(error)};
    }
    if (S_ISREG(info.st_mode))
        return {InputPath::RegularFile, QString()};
    if (S_ISDIR(info.st_mode))
        return {InputPath::Directory, QString()};
    const char *what = S_ISFIFO(info.st_mode)   ? "a named pipe (FIFO)"
                       : S_ISSOCK(info.st_mode) ? "a socket"
                       : S_ISCHR(info.st_mode)  ? "a character device"
                       : S_ISBLK(info.st_mode)  ? "a block device"
                                                : "a special file";
    return {InputPath::Unusable, QStringLiteral("%1, not a regular file or directory").arg(QLatin1String(what))};
}

} // namespace Phaseline

// zlib's raw deflate and CRC-32, for the backup archive writer (CRMDataTransfer/BackupArchiveWriter.swift).
#include <zlib.h>

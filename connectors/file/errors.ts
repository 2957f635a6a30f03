// Why a file destination could not write, split into "try again later" and "never will".
import { DeliveryRefusedError, TransientError } from '../../canonical-model/errors.js';

// Conditions an operator or time can fix (disk full, too many open files, a busy network share).
const TRANSIENT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EIO', 'ETIMEDOUT', 'ESTALE']);

export function fileWriteError(path: string, error: NodeJS.ErrnoException): Error {
  const message = `cannot write ${path}: ${error.code ?? 'error'} ${error.message}`;
  if (error.code && TRANSIENT_CODES.has(error.code)) return new TransientError(message, { cause: error });
  return new DeliveryRefusedError(message, [{ path, rule: `fs-${error.code ?? 'error'}`, message: error.message }], { cause: error });
}

import { BadRequestException, type CallHandler, type ExecutionContext, HttpException, HttpStatus, Injectable, type NestInterceptor, type Type } from '@nestjs/common';
import { sha256Hex } from '@pc/blob-store';
import type { StoredContent } from '@pc/domain';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { RequestValidationError } from '../http/problem-details.filter';
import { MAX_BODY_DEPTH, nestsDeeperThan } from '../http/body-depth';
import { createValidationPipe } from '../http/validation';

/** The `file` part of a multipart upload, held in memory (its size is bounded by MAX_UPLOAD_BYTES). */
export interface UploadedBinary {
  readonly fieldname: string;
  readonly originalname: string;
  readonly mimetype: string;
  readonly size: number;
  readonly buffer: Buffer;
}

export const FILE_FIELD = 'file';
export const METADATA_FIELD = 'metadata';
/** Where UploadInterceptor leaves the file for `@UploadedFile(UPLOADED_FILE)` (`request.file` is the multipart reader's own method). */
export const UPLOADED_FILE = 'uploadedFile';

/** Multipart options (busboy's): the size limit from configuration (413 beyond it), one file, a handful of small fields. */
export const uploadLimits = (maxUploadBytes: number) => ({
  limits: { fileSize: maxUploadBytes, files: 1, fields: 4, fieldSize: 256 * 1024, parts: 6 },
  defParamCharset: 'utf8',
});

export type UploadKind = 'multipart' | 'json';

/** Electronic content comes as multipart/form-data (`file` + `metadata`), paper originals as JSON. */
export function uploadKindOf(request: FastifyRequest): UploadKind {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'multipart/form-data') return 'multipart';
  if (mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType)) return 'json';
  throw new HttpException(
    'Send multipart/form-data with a "file" part and a JSON "metadata" part for electronic content, or application/json with a "location" for a paper original',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

/** The metadata of a request, validated like any JSON body: the `metadata` part of a multipart request, or the JSON body itself. */
export async function metadataOf<T extends object>(dto: Type<T>, request: FastifyRequest, body: unknown): Promise<T> {
  let plain: unknown = body ?? {};
  if (uploadKindOf(request) === 'multipart') {
    const part = (body as Record<string, unknown> | undefined)?.[METADATA_FIELD];
    if (part !== undefined && typeof part !== 'string') throw new RequestValidationError([{ field: METADATA_FIELD, messages: ['metadata must be one JSON part'] }]);
    try {
      plain = part === undefined || part.trim() === '' ? {} : JSON.parse(part);
    } catch (error) {
      throw new RequestValidationError([{ field: METADATA_FIELD, messages: [`metadata is not valid JSON: ${(error as Error).message}`] }]);
    }
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) throw new RequestValidationError([{ field: 'body', messages: ['must be a JSON object'] }]);
  // The multipart part is parsed here, after the body-depth guard ran on the request: it gets the same guard.
  if (nestsDeeperThan(plain, MAX_BODY_DEPTH)) {
    throw new RequestValidationError([{ field: METADATA_FIELD, messages: [`must not nest objects or arrays more than ${MAX_BODY_DEPTH} levels deep`] }]);
  }
  return (await createValidationPipe().transform(plain, { type: 'body', metatype: dto })) as T;
}

/** A file name kept for display and download: no directories, no control characters. */
const safeFileName = (name: string): string =>
  (name.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 255) || 'content';

export function storedContentOf(file: UploadedBinary): StoredContent {
  return {
    contentHash: sha256Hex(file.buffer),
    size: file.buffer.length,
    mediaType: /^[\w.+-]+\/[\w.+-]+$/.test(file.mimetype) ? file.mimetype.toLowerCase() : 'application/octet-stream',
    fileName: safeFileName(file.originalname),
  };
}

type UploadRequest = FastifyRequest & { [UPLOADED_FILE]?: UploadedBinary };

/**
 * Reads a multipart/form-data request before the handler: the `file` part (into memory, as `@UploadedFile(UPLOADED_FILE)`) and the
 * text fields (as `@Body()`). A file beyond the size limit, or too many parts, is refused by the multipart reader (413).
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    if (request.isMultipart()) await readMultipart(request);
    return next.handle();
  }
}

async function readMultipart(request: UploadRequest): Promise<void> {
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== FILE_FIELD || request[UPLOADED_FILE]) throw new BadRequestException(`Unexpected file part "${part.fieldname}": send one part named "${FILE_FIELD}"`);
      const buffer = await part.toBuffer();
      request[UPLOADED_FILE] = { fieldname: part.fieldname, originalname: part.filename, mimetype: part.mimetype, size: buffer.length, buffer };
    } else {
      fields[part.fieldname] = String(part.value);
    }
  }
  request.body = fields;
}

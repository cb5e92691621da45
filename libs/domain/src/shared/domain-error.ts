/**
 * Every refusal the domain can give. The kind decides the HTTP status, in one place (the API's
 * problem filter); the code is stable, so clients and tests assert on it rather than on wording.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'rule' | 'precondition';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

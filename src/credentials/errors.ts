/** The credentials given are incomplete or unusable; the message says what to set and where. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** No source of credentials was given at all (as opposed to one given in part). */
export class MissingCredentialsError extends CredentialsError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingCredentialsError';
  }
}

/** STS refused AssumeRoleWithOIDC, or could not be reached. */
export class StsError extends CredentialsError {
  constructor(
    message: string,
    /** STS error code, e.g. `AuthenticationFail.OIDCToken.Invalid`, or a network error code. */
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly statusCode: number | undefined,
  ) {
    super(message);
    this.name = 'StsError';
  }
}

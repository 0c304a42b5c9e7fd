/** An error whose message is written for the person who caused it; the CLI prints it as is. */
export class UserError extends Error {}

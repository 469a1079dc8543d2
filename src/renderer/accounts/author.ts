/** Who is making changes (the audit log): the name the user gave once, kept in this browser. */
export function author(): string {
  return localStorage.getItem('refund-recon-author') || 'local user';
}

// The cluster security descriptor the served reference's endpoints consult: the reference's own
// (reference/model/security.ts). Served on dcerpc:, the accounts are the authenticated principals
// (serve --user, serve --read-user); every node's endpoint consults the same object on every call.
export { ClusterSecurity, type Grant, type ServedAccount } from '../model/security';

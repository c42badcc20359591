export { DEADLINE_HEADER, Deadline } from './lib/deadline';
export { policyFor, type UpstreamPolicy, type UpstreamPolicyOptions } from './lib/policy-for';
export { timeout, UpstreamTimeoutPolicy } from './lib/upstream-timeout.policy';

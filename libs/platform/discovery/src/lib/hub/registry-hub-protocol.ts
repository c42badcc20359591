/** The IPC channel the embedded registry uses between `npm start`'s parent process and each service. */
export const REGISTRY_CHANNEL = 'nestkit.discovery';

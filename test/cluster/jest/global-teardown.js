import { fleetCli } from './global-setup.js';

export default function globalTeardown() {
  fleetCli('down');
}

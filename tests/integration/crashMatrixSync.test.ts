import { describeCrashMatrix } from '../helpers/crashMatrix.js';
import { COMMAND_FLOWS } from './crashFlows.js';

// The crash matrix over the flows that are commands of their own (a file apart, so that the
// two halves run in parallel): the dormant release and the three sync commands.
describeCrashMatrix(COMMAND_FLOWS);

// One definition for the app and the core (src/shared/direction-labels.ts).
export { DIRECTION_LABELS } from '../../shared/direction-labels';

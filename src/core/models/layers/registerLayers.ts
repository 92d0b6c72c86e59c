/** Importing this module registers every custom layer with tfjs' serialisation (side effect). */
import './batchNorm';
import './channelAffine';
import './groupNorm';
import './odeBlock';
import './scale';

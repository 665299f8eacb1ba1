// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRiseGuard
/// @notice What the Spotter asks before it writes a spot: may `ilk`'s spot rise now? Implemented by the
/// `CircuitBreaker`, which holds rises after a mark-price rise beyond its tolerance in one oracle update
/// (a "rise trip"), until governance lowers the house's level.
interface IRiseGuard {
    /// @notice Observes `ilk`'s oracle update (as `CircuitBreaker.observe` on the ilk's house, tripping
    /// on a drop or a rise beyond the tolerance) and tells whether rises of `ilk`'s spot are held.
    /// Never reverts for an ilk without a registered house (returns false).
    /// @param ilk Collateral type id.
    /// @return holdRises True while a rise trip of `ilk`'s house is in force.
    function checkRise(bytes32 ilk) external returns (bool holdRises);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILiquidationEngine} from "../../../contracts/src/interfaces/ILiquidationEngine.sol";
import {IRescueHook} from "../../../contracts/src/interfaces/IRescueHook.sol";
import {IVaultEngine} from "../../../contracts/src/interfaces/IVaultEngine.sol";

/// @dev Hostile and odd rescue hooks for the attack tests.
contract RevertingHook is IRescueHook {
    function rescue(bytes32, address) external pure {
        revert("no rescue");
    }
}

/// @dev Burns every unit of gas it is given.
contract GasBurningHook is IRescueHook {
    function rescue(bytes32, address) external pure {
        while (true) {}
    }
}

/// @dev Re-enters the liquidation engine on the vault it is rescuing; records what happened.
contract ReenteringHook is IRescueHook {
    ILiquidationEngine internal immutable dog;
    bytes public reentryError;
    bool public reentered;

    constructor(ILiquidationEngine dog_) {
        dog = dog_;
    }

    function rescue(bytes32 ilk, address owner) external {
        try dog.liquidate(ilk, owner, address(this)) {
            reentered = true;
        } catch (bytes memory err) {
            reentryError = err;
        }
        // A direct call to the runner is refused too.
        try dog.runRescueHook(ilk, owner, address(this), 0) {
            reentered = true;
        } catch {}
    }
}

/// @dev Returns a megabyte of garbage (a return bomb).
contract GarbageHook is IRescueHook {
    fallback() external {
        assembly {
            return(0, 1000000)
        }
    }

    function rescue(bytes32, address) external pure {
        assembly {
            return(0, 1000000)
        }
    }
}

/// @dev Lowers the vault's health by pushing a lower spot (the test grants it the engine's SPOTTER
/// role, standing in for any permissionless path that could lower a health mid-hook): its effects
/// must be rolled back.
contract HealthLoweringHook is IRescueHook {
    IVaultEngine internal immutable engine;

    constructor(IVaultEngine engine_) {
        engine = engine_;
    }

    function rescue(bytes32 ilk, address) external {
        engine.setSpot(ilk, engine.ilks(ilk).spot / 2);
    }
}

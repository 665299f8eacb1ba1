// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMedianOracle} from "../interfaces/IMedianOracle.sol";
import {IRiseGuard} from "../interfaces/IRiseGuard.sol";
import {ISpotter} from "../interfaces/ISpotter.sol";
import {IVaultEngineSpot} from "../interfaces/IVaultEngineSpot.sol";
import {OwnableRoles} from "solady/auth/OwnableRoles.sol";
import {FixedPointMathLib} from "solady/utils/FixedPointMathLib.sol";

/// @title Spotter
/// @notice Writes `spot = markPrice / liquidationRatio` (WAD, rounded down) per ilk into the VaultEngine.
/// `poke` is permissionless; the engine lets only this contract (its `SPOTTER` role) call `setSpot`.
/// A rise guard (the `CircuitBreaker`) can hold rises of the spot after an implausible rise of the mark
/// price: see {ISpotter}.
/// @dev Talks to the engine only through `IVaultEngineSpot`. Governance (owner) maps ilks to oracles.
contract Spotter is ISpotter, OwnableRoles {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc ISpotter
    address public immutable engine;

    /// @inheritdoc ISpotter
    mapping(bytes32 ilk => address oracle) public oracles;

    /// @inheritdoc ISpotter
    address public breaker;

    /// @inheritdoc ISpotter
    mapping(bytes32 ilk => uint256 markPriceWad) public markPrices;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param owner_ Governance.
    /// @param engine_ The VaultEngine (implements `IVaultEngineSpot`).
    constructor(address owner_, address engine_) {
        if (owner_ == address(0) || engine_ == address(0)) revert ZeroAddress();
        if (engine_.code.length == 0) revert NotContract(engine_);
        _initializeOwner(owner_);
        engine = engine_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc ISpotter
    function poke(bytes32 ilk) external returns (uint256 spotWad) {
        return _poke(ilk);
    }

    /// @inheritdoc ISpotter
    function pokeMany(bytes32[] calldata ilks) external {
        for (uint256 i; i < ilks.length; ++i) {
            _poke(ilks[i]);
        }
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         GOVERNANCE                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc ISpotter
    function setBreaker(address breaker_) external onlyOwner {
        if (breaker_ != address(0) && breaker_.code.length == 0) revert NotContract(breaker_);
        breaker = breaker_;
        emit BreakerSet(breaker_);
    }

    /// @inheritdoc ISpotter
    function setOracle(bytes32 ilk, address oracle) external onlyOwner {
        if (oracle == address(0)) revert ZeroAddress();
        if (oracle.code.length == 0) revert NotContract(oracle);
        oracles[ilk] = oracle;
        emit OracleSet(ilk, oracle);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     INTERNAL FUNCTIONS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev True when the rise guard holds `ilk`'s rises, or reverts (fail safe). No guard: false. Asked
    /// only when the mark rose, so a drop never waits on the guard; the guard is asked (and observes
    /// the oracle update) before the rise can reach the engine.
    function _holdsRises(bytes32 ilk) internal returns (bool) {
        address guard = breaker;
        if (guard == address(0)) return false;
        try IRiseGuard(guard).checkRise(ilk) returns (bool hold) {
            return hold;
        } catch {
            return true;
        }
    }

    /// @dev Reads the mark price, divides by the liquidation ratio (down), writes and logs the spot.
    function _poke(bytes32 ilk) internal returns (uint256 spotWad) {
        address oracle = oracles[ilk];
        if (oracle == address(0)) revert NoOracle(ilk);
        (uint256 markPrice, bool valid) = IMedianOracle(oracle).peek();
        if (!valid) revert NoValidPrice(ilk, markPrice);
        uint256 ratioWad = IVaultEngineSpot(engine).liquidationRatio(ilk);
        if (ratioWad == 0) revert ZeroLiquidationRatio(ilk);
        uint256 last = markPrices[ilk];
        if (markPrice > last && last != 0 && _holdsRises(ilk)) {
            emit RiseHeld(ilk, markPrice, last);
            markPrice = last;
        }
        markPrices[ilk] = markPrice;
        spotWad = FixedPointMathLib.divWad(markPrice, ratioWad);
        IVaultEngineSpot(engine).setSpot(ilk, spotWad);
        emit Poke(ilk, markPrice, spotWad);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStablecoin} from "./interfaces/IStablecoin.sol";
import {ERC20} from "solady/tokens/ERC20.sol";

/// @title Stablecoin
/// @notice Gavel USD (gUSD): solady ERC-20 with EIP-2612 permit. Only the VaultEngine (immutable,
/// set at construction) mints and burns.
contract Stablecoin is ERC20, IStablecoin {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev keccak256("Gavel USD"), so permit does not hash the name on every call.
    bytes32 private constant _NAME_HASH = keccak256("Gavel USD");

    /// @inheritdoc IStablecoin
    address public immutable engine;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param engine_ The VaultEngine, the only minter and burner.
    constructor(address engine_) {
        if (engine_ == address(0)) revert ZeroEngine();
        engine = engine_;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          METADATA                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Token name, "Gavel USD".
    function name() public pure override returns (string memory) {
        return "Gavel USD";
    }

    /// @notice Token symbol, "gUSD".
    function symbol() public pure override returns (string memory) {
        return "gUSD";
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OPERATIONS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IStablecoin
    function mint(address to, uint256 amount) external {
        if (msg.sender != engine) revert NotEngine(msg.sender);
        _mint(to, amount);
    }

    /// @inheritdoc IStablecoin
    function burn(address from, uint256 amount) external {
        if (msg.sender != engine) revert NotEngine(msg.sender);
        _burn(from, amount);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         OVERRIDES                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Constant name hash for the EIP-712 domain (gas).
    function _constantNameHash() internal pure override returns (bytes32) {
        return _NAME_HASH;
    }

    /// @dev No implicit infinite Permit2 allowance: allowances are exactly what holders approved or
    /// permitted, as ERC-20 and EIP-2612 say.
    function _givePermit2InfiniteAllowance() internal pure override returns (bool) {
        return false;
    }
}
